declare module 'wgsl-preprocessor' {
  /** Template tag resolving `#if ${cond}` / `#elif ${cond}` / `#else` / `#endif` blocks. */
  export function wgsl(strings: TemplateStringsArray, ...values: unknown[]): string;
}
