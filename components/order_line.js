// A line of the current order as one element: picture, name, code and price, what happens to it when the order is
// placed, the line total and Remove. The quantity field is a NiceGUI input in the default slot (its focus and blur
// are the server's to see); in-stock alternatives of an out-of-stock product go in the "below" slot. Every text
// comes from the server as a prop and is shown as text.
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
      <slot></slot>
      <div class="text-subtitle1 text-weight-medium col-grow md:w-28 text-right">{{ total }}</div>
      <q-btn flat round color="grey-8" icon="delete_outline" :aria-label="remove_label" @click="$emit('remove')" />
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
  },
  methods: {
    prefixed(path) {
      return path && path.startsWith("/") ? (window.path_prefix || "") + path : path;
    },
  },
};
