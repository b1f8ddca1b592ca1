def test_accounts_fixture_makes_two_customers(accounts):
    assert accounts.alice.customer_id == accounts.customer_a.id
    assert accounts.bob.customer_id != accounts.alice.customer_id
    assert accounts.admin.is_admin
