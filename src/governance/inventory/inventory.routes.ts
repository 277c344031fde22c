import type { ApiApp } from '../../platform/http/http-app.ts';
import { registerDatasetRoutes } from './datasets.routes.ts';
import type { DatasetsService } from './datasets.service.ts';
import type { LineageService } from './lineage.service.ts';
import { registerModelRoutes } from './models.routes.ts';
import type { ModelsService } from './models.service.ts';
import { registerVersionRoutes } from './versions.routes.ts';
import type { VersionsService } from './versions.service.ts';

/** The inventory services the routes call. */
export interface InventoryServices {
  models: ModelsService;
  versions: VersionsService;
  datasets: DatasetsService;
  lineage: LineageService;
}

/** Routes of models, versions, datasets, deployments and lineage under /api/v1, one file per aggregate. */
export function registerInventoryRoutes(app: ApiApp, s: InventoryServices): void {
  registerModelRoutes(app, s);
  registerVersionRoutes(app, s);
  registerDatasetRoutes(app, s);
}
