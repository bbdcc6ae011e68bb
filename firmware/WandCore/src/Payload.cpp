#include "Payload.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

namespace wand {
namespace {

constexpr int32_t pow10i(int n) { return n == 0 ? 1 : 10 * pow10i(n - 1); }
constexpr int32_t kScale = pow10i(kPayloadDecimals);
constexpr int32_t kMaxScaled = pow10i(kPayloadIntegerDigits + kPayloadDecimals) - 1;

/** Writes one fixed-point number; integer arithmetic keeps it independent of printf and locale. */
char *writeNumber(float value, char *out) {
  int32_t scaled = static_cast<int32_t>(lroundf(fmaxf(fminf(value, 1000.0f), -1000.0f) * kScale));
  if (scaled > kMaxScaled) scaled = kMaxScaled;
  if (scaled < -kMaxScaled) scaled = -kMaxScaled;
  if (scaled < 0) {
    *out++ = '-';
    scaled = -scaled;
  }
  char digits[12];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + scaled % 10);
    scaled /= 10;
  } while (scaled != 0 || n <= kPayloadDecimals);  // at least one integer digit
  while (n > 0) {
    if (n == kPayloadDecimals) *out++ = '.';
    *out++ = digits[--n];
  }
  return out;
}

}  // namespace

size_t writePayload(const float *samples, size_t count, char *buffer, size_t capacity) {
  if (buffer == nullptr || capacity < payloadCapacity(count)) return 0;
  for (size_t i = 0; i < count * 3; ++i) {
    if (!isfinite(samples[i])) return 0;
  }
  char *out = buffer;
  memcpy(out, "{\"data\":[", kPayloadPrefixLen);
  out += kPayloadPrefixLen;
  for (size_t i = 0; i < count * 3; ++i) {
    if (i > 0) *out++ = ',';
    out = writeNumber(samples[i], out);
  }
  *out++ = ']';
  *out++ = '}';
  *out = '\0';
  return static_cast<size_t>(out - buffer);
}

}  // namespace wand
