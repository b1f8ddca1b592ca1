// A product of the catalogue as one element: a card of the grid (layout "card") or a row of the list ("row").
// Everything it shows comes from the server as text props and is shown as text (no v-html). What the customer
// types stays here until Add, Enter, a step or the bookmark sends it; the server decides what it means.
const FIELD = {
  outlined: true,
  dense: true,
  inputmode: "numeric",
  maxlength: 7,
};

// the quantity field of both layouts: Enter adds; products sold per more than one get steps beside it
const quantityField = (label, classes) => `
      <q-input v-model="typed" v-bind="field" ${label} :aria-label="quantity_label" :class="${classes}"
        @keydown.enter="send('add')">
        <template v-if="stepped" #prepend>
          <q-btn flat round dense size="sm" icon="remove" :aria-label="fewer_label" @click="step(-1)" />
        </template>
        <template v-if="stepped" #append>
          <q-btn flat round dense size="sm" icon="add" :aria-label="more_label" @click="step(1)" />
        </template>
      </q-input>`;

export default {
  template: `
  <div v-if="layout === 'row'" class="sf-row">
    <q-icon v-if="!image" name="image_not_supported" size="48px"
      class="sf-pic rounded-borders bg-white flex flex-center bg-grey-2 text-grey-5" />
    <q-img v-else :src="prefixed(image)" fit="contain" class="sf-pic rounded-borders bg-white" />
    <div class="sf-code text-caption text-grey-7">{{ code }}</div>
    <a :href="prefixed(href)" :title="name" class="sf-name text-body2 text-weight-medium text-grey-9 no-underline">{{ name }}</a>
    <div class="sf-price text-body2">
      <div v-if="price" class="row items-baseline gap-2 no-wrap">
        <div class="text-h6 text-primary">{{ price }}</div>
        <div v-if="list_price" class="text-body2 text-grey-6 line-through" :aria-label="list_label">{{ list_price }}</div>
      </div>
    </div>
    <div v-if="stock" :class="'sf-stock text-body2 text-weight-medium ' + tone">{{ stock }}</div>
    <div class="sf-order row items-center gap-2 no-wrap">
      <div class="sf-mark"><slot></slot></div>
      ${quantityField(`label=""`, `stepped ? 'w-28' : 'w-16'`)}
      <q-btn unelevated dense color="primary" icon="add_shopping_cart" class="q-px-sm" :aria-label="add_label"
        @click="send('add')" />
    </div>
  </div>
  <q-card v-else class="w-full h-full q-pa-none gap-1 overflow-hidden column no-wrap relative-position">
    <a :href="prefixed(href)" class="block w-full">
      <q-icon v-if="!image" name="image_not_supported" size="48px"
        class="w-full h-44 bg-white flex flex-center bg-grey-2 text-grey-5" />
      <q-img v-else :src="prefixed(image)" fit="contain" class="w-full h-44 bg-white" />
    </a>
    <slot></slot>
    <div class="text-caption text-grey-7 q-px-md q-pt-sm">{{ code }}</div>
    <a :href="prefixed(href)"
      class="text-subtitle1 text-weight-medium text-grey-9 no-underline leading-tight ellipsis-2-lines q-px-md">{{ name }}</a>
    <div v-if="price" class="w-full row items-baseline gap-x-2 gap-y-0 q-px-md">
      <div class="row items-baseline gap-2 no-wrap">
        <div class="text-h6 text-primary">{{ price }}</div>
        <div v-if="list_price" class="text-body2 text-grey-6 line-through" :aria-label="list_label">{{ list_price }}</div>
      </div>
      <div class="text-caption text-grey-7">{{ per_unit }}</div>
    </div>
    <div v-if="tiers" class="text-caption text-primary q-px-md">{{ tiers }}</div>
    <div v-if="rules" class="text-caption text-grey-8 q-px-md">{{ rules }}</div>
    <div v-if="stock" :class="'text-body2 text-weight-medium q-px-md ' + tone">{{ stock }}</div>
    <div class="w-full row items-center wrap gap-2 q-pa-md q-pt-sm mt-auto">
      ${quantityField(`:label="qty_label"`, `'flex-none ' + (stepped ? 'w-32' : 'w-20')`)}
      <q-btn flat round dense color="primary" icon="bookmark_add" :aria-label="save_label" @click="send('save')" />
      <q-btn unelevated no-caps color="primary" icon="add_shopping_cart" :label="add_label" class="col-grow"
        @click="send('add')" />
    </div>
  </q-card>
  `,
  props: {
    layout: String,
    href: String,
    image: String,
    code: String,
    name: String,
    price: String,
    list_price: String,
    list_label: String,
    per_unit: String,
    tiers: String,
    rules: String,
    stock: String,
    tone: String,
    stepped: Boolean,
    value: String,
    reset: Number,
    qty_label: String,
    quantity_label: String,
    add_label: String,
    save_label: String,
    fewer_label: String,
    more_label: String,
  },
  data() {
    return { typed: this.value, field: FIELD };
  },
  watch: {
    // the server puts a quantity in the field (after an add, or a step) by changing `reset`
    reset() {
      this.typed = this.value;
    },
  },
  methods: {
    prefixed(path) {
      return path && path.startsWith("/") ? (window.path_prefix || "") + path : path;
    },
    // one event for all the card does (one listener per card on the server): add, save (the bookmark) or step
    send(what) {
      this.$emit("act", { do: what, quantity: String(this.typed ?? "") });
    },
    step(direction) {
      this.$emit("act", { do: "step", quantity: String(this.typed ?? ""), direction: direction });
    },
  },
};
