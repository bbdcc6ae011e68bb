#include "Payload.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

namespace wand {
namespace {

constexpr int32_t pow10i(int n) { return n == 0 ? 1 : 10 * pow10i(n - 1); }

}  // namespace

char *writeFixed(float value, int decimals, char *out) {
  if (decimals < 0) decimals = 0;
  if (decimals > 4) decimals = 4;
  const int32_t scale = pow10i(decimals);
  const int32_t maxScaled = pow10i(kPayloadIntegerDigits + decimals) - 1;
  int32_t scaled = static_cast<int32_t>(lroundf(fmaxf(fminf(value, 1000.0f), -1000.0f) * static_cast<float>(scale)));
  if (scaled > maxScaled) scaled = maxScaled;
  if (scaled < -maxScaled) scaled = -maxScaled;
  if (scaled < 0) {
    *out++ = '-';
    scaled = -scaled;
  }
  char digits[12];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + scaled % 10);
    scaled /= 10;
  } while (scaled != 0 || n <= decimals);  // at least one integer digit
  while (n > 0) {
    if (n == decimals) *out++ = '.';
    *out++ = digits[--n];
  }
  return out;
}

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
    out = writeFixed(samples[i], kPayloadDecimals, out);
  }
  *out++ = ']';
  *out++ = '}';
  *out = '\0';
  return static_cast<size_t>(out - buffer);
}

}  // namespace wand
