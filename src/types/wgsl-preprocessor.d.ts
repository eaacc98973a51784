// The package has no "main" or "exports": Node resolves only the file itself, so the
// shaders import 'wgsl-preprocessor/wgsl-preprocessor.js' (Vite and Node alike).
declare module 'wgsl-preprocessor/wgsl-preprocessor.js' {
  /** Template tag resolving `#if ${cond}` / `#elif ${cond}` / `#else` / `#endif` blocks. */
  export function wgsl(strings: TemplateStringsArray, ...values: unknown[]): string;
}
