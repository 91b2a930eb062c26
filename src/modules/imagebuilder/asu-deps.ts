import type { AppDeps } from '../../http/deps.js';
import type { OpenwrtCatalog } from './openwrt-catalog.js';

/** What the ASU routes need besides the app's dependencies. */
export interface AsuDeps extends AppDeps {
  catalog: OpenwrtCatalog;
  /** fleetflash's version, shown in overview.json. */
  version: string;
}
