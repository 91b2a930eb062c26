import type { paths } from '../../api/schema';

/** Shapes of the firmware catalog's answers, taken from the generated API types. */

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Category = Json<paths['/api/v1/firmware/category/{id}/']['get']['responses'][200]>;
export type CategoryList = Json<paths['/api/v1/firmware/category/']['get']['responses'][200]>;
export type Build = Json<paths['/api/v1/firmware/build/{id}/']['get']['responses'][200]>;
export type BuildList = Json<paths['/api/v1/firmware/build/']['get']['responses'][200]>;
export type ImageList = Json<paths['/api/v1/firmware/build/{id}/image/']['get']['responses'][200]>;
export type Image = ImageList['results'][number];
export type CustomImageList = Json<paths['/api/v1/firmware/build/{id}/custom-images/']['get']['responses'][200]>;
export type CustomImage = CustomImageList['results'][number];
export type CustomImagesAnswer = Json<paths['/api/v1/firmware/build/{id}/custom-images/']['post']['responses'][202]>;
export type Organization = Json<paths['/api/v1/organizations/']['get']['responses'][200]>['results'][number];
