// A line of the current order as one element: picture, name, code and price, what happens to it when the order is
// placed, its quantity field, the line total and Remove; in-stock alternatives of an out-of-stock product go in the
// "below" slot. Every text comes from the server as a prop and is shown as text. The field saves on Enter, on a step
// and on leaving it changed; while it has the focus a quantity changed elsewhere (another tab) waits, and shows on
// leaving it when nothing was typed. Everything goes to the server as one event, "act".
export default {
  template: `
  <div class="sf-order-line row w-full items-center q-pa-md gap-x-4 gap-y-2 wrap md:flex-nowrap">
    <div class="row items-center gap-4 no-wrap flex-1 min-w-0 basis-64">
      <a :href="prefixed(href)" class="flex-none">
        <q-icon v-if="!image" name="image_not_supported" size="48px"
          class="w-16 h-16 rounded-borders bg-white flex flex-center bg-grey-2 text-grey-5" />
        <q-img v-else :src="prefixed(image)" fit="contain" class="w-16 h-16 rounded-borders bg-white" />
      </a>
      <div class="col column gap-0 min-w-0">
        <a :href="prefixed(href)" class="text-subtitle1 text-weight-medium text-grey-9 no-underline">{{ name }}</a>
        <div class="text-caption text-grey-7">{{ price }}</div>
        <div :class="'text-body2 ' + tone">{{ outcome }}</div>
        <slot name="below"></slot>
      </div>
    </div>
    <div class="row items-center gap-3 no-wrap w-full md:w-auto">
      <q-input v-model="typed" outlined dense inputmode="numeric" maxlength="7" :label="qty_label"
        :class="stepped ? 'w-36' : 'w-24'" @focus="focus" @blur="blur" @keydown.enter="send('quantity')">
        <template v-if="stepped" #prepend>
          <q-btn flat round dense size="sm" icon="remove" :aria-label="fewer_label" @click="send('step', -1)" />
        </template>
        <template v-if="stepped" #append>
          <q-btn flat round dense size="sm" icon="add" :aria-label="more_label" @click="send('step', 1)" />
        </template>
      </q-input>
      <div class="text-subtitle1 text-weight-medium col-grow md:w-28 text-right">{{ total }}</div>
      <q-btn flat round color="grey-8" icon="delete_outline" :aria-label="remove_label" @click="send('remove')" />
    </div>
  </div>
  `,
  props: {
    href: String,
    image: String,
    name: String,
    price: String,
    outcome: String,
    tone: String,
    total: String,
    remove_label: String,
    quantity: String,
    reset: Number,
    stepped: Boolean,
    qty_label: String,
    fewer_label: String,
    more_label: String,
  },
  data() {
    return { typed: this.quantity, focused: false, at_focus: "" };
  },
  watch: {
    quantity() {
      if (!this.focused) this.typed = this.quantity; // not under the cursor
    },
    reset() {
      this.typed = this.quantity; // the server puts the quantity back (a refused one)
    },
  },
  methods: {
    focus() {
      this.focused = true;
      this.at_focus = this.typed;
    },
    blur() {
      this.focused = false;
      if (this.typed === this.at_focus) this.typed = this.quantity; // nothing typed: what changed meanwhile
      else if (String(this.typed).trim() !== this.quantity) this.send("quantity");
    },
    send(what, direction) {
      this.$emit("act", { do: what, quantity: String(this.typed ?? ""), direction: direction });
    },
    prefixed(path) {
      return path && path.startsWith("/") ? (window.path_prefix || "") + path : path;
    },
  },
};
