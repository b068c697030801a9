import '@vaadin/vertical-layout/src/vaadin-vertical-layout.js';
import '@vaadin/select/src/vaadin-select.js';
import 'Frontend/generated/jar-resources/selectConnector.js';
import '@vaadin/tooltip/src/vaadin-tooltip.js';
import 'Frontend/generated/jar-resources/flow-component-renderer.js';
import 'Frontend/generated/jar-resources/flow-component-directive.js';
import 'Frontend/generated/jar-resources/lit-renderer.ts';
import '@vaadin/grid/src/vaadin-grid.js';
import '@vaadin/grid/src/vaadin-grid-column.js';
import '@vaadin/grid/src/vaadin-grid-sorter.js';
import '@vaadin/checkbox/src/vaadin-checkbox.js';
import 'Frontend/generated/jar-resources/gridConnector.ts';
import 'Frontend/generated/jar-resources/vaadin-grid-flow-selection-column.js';
import '@vaadin/grid/src/vaadin-grid-column-group.js';
import '@vaadin/context-menu/src/vaadin-context-menu.js';
import 'Frontend/generated/jar-resources/contextMenuConnector.js';
import 'Frontend/generated/jar-resources/contextMenuTargetConnector.js';
import 'Frontend/generated/jar-resources/disableOnClickFunctions.js';
import '@vaadin/text-field/src/vaadin-text-field.js';
import '@vaadin/button/src/vaadin-button.js';
import '@vaadin/details/src/vaadin-details.js';
import '@vaadin/horizontal-layout/src/vaadin-horizontal-layout.js';
import '@vaadin/app-layout/src/vaadin-app-layout.js';
import '@vaadin/password-field/src/vaadin-password-field.js';
import '@vaadin/radio-group/src/vaadin-radio-group.js';
import '@vaadin/radio-group/src/vaadin-radio-button.js';
import '@vaadin/app-layout/src/vaadin-drawer-toggle.js';
import '@vaadin/side-nav/src/vaadin-side-nav.js';
import '@vaadin/side-nav/src/vaadin-side-nav-item.js';
import '@vaadin/combo-box/src/vaadin-combo-box.js';
import 'Frontend/generated/jar-resources/comboBoxConnector.js';
import '@vaadin/multi-select-combo-box/src/vaadin-multi-select-combo-box.js';
import '@vaadin/text-area/src/vaadin-text-area.js';
import '@vaadin/date-time-picker/src/vaadin-date-time-picker.js';
import '@vaadin/date-picker/src/vaadin-date-picker.js';
import 'Frontend/generated/jar-resources/datepickerConnector.js';
import '@vaadin/time-picker/src/vaadin-time-picker.js';
import 'Frontend/generated/jar-resources/vaadin-time-picker/timepickerConnector.js';
import 'Frontend/generated/jar-resources/vaadin-time-picker/helpers.js';
import '@vaadin/common-frontend/ConnectionIndicator.js';
import 'Frontend/generated/jar-resources/ReactRouterOutletElement.tsx';

const loadOnDemand = (key) => {
  const pending = [];
  if (key === 'd6c64118b89190357879e60a705a9ec7b4ccc06d8e777ad97a8cf1dd4c596f46') {
    pending.push(import('./chunks/chunk-52accf672413b176e16b1f7b392f040169ceb537093fde51df4dcadb46d9a97a.js'));
  }
  if (key === '829a269f2ca70696309b856fbf987cbbef64728213716631390c3911a218250a') {
    pending.push(import('./chunks/chunk-c206514a31125de73ce763d5fa423338cc2640141ebfe6b1901bfc993d2e0fe6.js'));
  }
  if (key === '633cc65d875b26f738dd5d6ebe17100f40e573f3496c8b890f65851080eb4715') {
    pending.push(import('./chunks/chunk-a5fb9b96ee5cb560fabeb9fe15350b7f5a72a313ae3e7f1b7a8bf5f975800d3b.js'));
  }
  if (key === '5a879877a449a982051ad1ad95a72ba5a4c68c43a4dbf542cc01a3d8eba61daa') {
    pending.push(import('./chunks/chunk-7df48eae3185c3212d169067c1e45e4d4cbc51d3a83d0534fcc357a41dd584a9.js'));
  }
  if (key === 'f6ea61b272945b1bdb4a08c984d6e49df8833933c79aad04a9fd138d6baf7bc7') {
    pending.push(import('./chunks/chunk-9df947632b3e42b0088a694d8dc1fa88218dc1c2229c50d3ae83914da61858fd.js'));
  }
  if (key === 'b42b8f9e719253fefdbf5ab23efecc8c9d021f6365a18deaa7421b64438fa203') {
    pending.push(import('./chunks/chunk-f79dadfef9ff3365abd3adb5c7f0e5c770db4848f171de96511d87ade8e8660e.js'));
  }
  if (key === 'abc8eeea28a1505d68e06daa2d42b989d5287f0567a71ff112bb363a51b88f94') {
    pending.push(import('./chunks/chunk-a5fb9b96ee5cb560fabeb9fe15350b7f5a72a313ae3e7f1b7a8bf5f975800d3b.js'));
  }
  if (key === '654ab9ee761b7c26b7cf88de72e92349be9cff6f08fc1150c12e38d594d1183d') {
    pending.push(import('./chunks/chunk-52accf672413b176e16b1f7b392f040169ceb537093fde51df4dcadb46d9a97a.js'));
  }
  if (key === '7dfb7015653c26a7d444713e76eab8eaffa19a97ede572ad17121c2dc093fb91') {
    pending.push(import('./chunks/chunk-367be2698b236a37c8001385f4e9898c16e07fac04f7624673d52d4f3e8bf683.js'));
  }
  if (key === '78255a1cacb87de7c70ab4dfb5bcafdcd867051253d834ca4c1748db56c834b0') {
    pending.push(import('./chunks/chunk-41df442cc032dc5386db354428e6528f07cb76680bdecd3012899745085aea8e.js'));
  }
  return Promise.all(pending);
}

window.Vaadin = window.Vaadin || {};
window.Vaadin.Flow = window.Vaadin.Flow || {};
window.Vaadin.Flow.loadOnDemand = loadOnDemand;
window.Vaadin.Flow.resetFocus = () => {
 let ae=document.activeElement;
 while(ae&&ae.shadowRoot) ae = ae.shadowRoot.activeElement;
 return !ae || ae.blur() || ae.focus() || true;
}