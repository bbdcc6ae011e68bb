// The cloud request body in the lab's wire form (REFERENCE 1.2): {"data":[x0,y0,z0,x1,...]} with
// raw m/s^2, written into a caller's fixed buffer. Two decimals by default: a step of 0.01 m/s^2
// is below the MPU6050's noise (~0.02 m/s^2 at 21 Hz bandwidth) and is how the recordings that
// trained the models were written, so nothing the model could use is lost.
#pragma once

#include <stddef.h>

#ifndef WAND_PAYLOAD_DECIMALS
#define WAND_PAYLOAD_DECIMALS 2
#endif

namespace wand {

constexpr int kPayloadDecimals = WAND_PAYLOAD_DECIMALS;
static_assert(kPayloadDecimals >= 0 && kPayloadDecimals <= 4, "WAND_PAYLOAD_DECIMALS must be 0..4");

/** Values are clamped to +-999.99.. m/s^2 (100 g; the MPU6050 saturates at 16 g), which bounds every number's width. */
constexpr int kPayloadIntegerDigits = 3;
constexpr size_t kPayloadPrefixLen = 9;  // {"data":[
constexpr size_t kPayloadSuffixLen = 2;  // ]}
/** Widest number plus its comma: sign, integer digits, point, decimals, comma (the last number has none). */
constexpr size_t kPayloadValueWidth = 1 + kPayloadIntegerDigits + (kPayloadDecimals > 0 ? 1 + kPayloadDecimals : 0) + 1;

/** Bytes (including the terminating NUL) that a body of `samples` x,y,z samples can need. */
constexpr size_t payloadCapacity(size_t samples) {
  return kPayloadPrefixLen + samples * 3 * kPayloadValueWidth - (samples > 0 ? 1 : 0) + kPayloadSuffixLen + 1;
}

/**
 * Writes `value` with `decimals` (0..4) digits after the point, clamped to the widest number above
 * (kPayloadIntegerDigits before the point), without printf or locale; returns the end (no NUL).
 */
char *writeFixed(float value, int decimals, char *out);

/**
 * Writes the body for `count` interleaved samples; returns its length (without the NUL), or 0
 * when it does not fit `capacity` or a value is not finite (a NaN cannot travel as JSON).
 */
size_t writePayload(const float *samples, size_t count, char *buffer, size_t capacity);

}  // namespace wand
