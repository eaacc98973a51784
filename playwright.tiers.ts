// Which tests belong to which tier (playwright.config.ts, playwright.unit.config.ts).

/** Pure logic in Node: no browser, no GPU, no server. */
export const UNIT_TESTS = /(src|cli|demo)\/.*\.test\.ts$/;

/** Kernels and trainers on Dawn in Node (the harness in process, no page). */
export const GPU_SPECS = /(kernels|general-kernels|general-trainer|trainer|trainer-faults|fast-step|tiled-step|random|node-runtime|explain)\.spec\.ts$/;
