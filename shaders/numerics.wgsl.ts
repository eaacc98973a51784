// Numerics every kernel shares, written once (style point 16).
// WGSL lets implementations assume finite math (PITFALLS.md): a non-finite value is
// found by its exponent bits, never by x != x; logs and exps are arranged so that
// their arguments stay where float32 is exact.
export const numerics = /* wgsl */ `
// True unless x is ±Infinity or NaN (all exponent bits set).
fn is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// log(1 + x) for x in [0, 1]; log(1 + x) loses x entirely once x < 2^-24.
fn log1p_small(x: f32) -> f32 {
  return select(log(1.0 + x), x * (1.0 - 0.5 * x), x < 1e-4);
}
`;
