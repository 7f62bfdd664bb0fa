// class-transformer keeps its `@Type` metadata in a singleton it does not export from its
// entry point; its typings for that module live under `types/`.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
