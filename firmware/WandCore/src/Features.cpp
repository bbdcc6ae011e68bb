#include "Features.h"

#include <math.h>

namespace wand {

bool resample(const float *samples, size_t count, float *out, size_t length) {
  if (count == 0 || length == 0) return false;
  if (count == 1 || length == 1) {
    for (size_t i = 0; i < length; ++i) {
      for (size_t axis = 0; axis < 3; ++axis) out[i * 3 + axis] = samples[axis];
    }
    return true;
  }
  // Output i sits at input position i * (count - 1) / (length - 1) = lo + num / den.
  const size_t den = length - 1;
  for (size_t i = 0; i < length; ++i) {
    const size_t pos = i * (count - 1);
    size_t lo = pos / den;
    size_t num = pos % den;
    if (lo >= count - 1) {  // the last output: interpolate at the end of the last segment
      lo = count - 2;
      num = den;
    }
    const float frac = static_cast<float>(num) / static_cast<float>(den);
    for (size_t axis = 0; axis < 3; ++axis) {
      const float a = samples[lo * 3 + axis];
      const float b = samples[(lo + 1) * 3 + axis];
      out[i * 3 + axis] = a + (b - a) * frac;
    }
  }
  return true;
}

void gravityAlign(float *window, size_t length) {
  if (length == 0) return;
  float mx = 0.0f, my = 0.0f, mz = 0.0f;
  for (size_t i = 0; i < length; ++i) {
    mx += window[i * 3];
    my += window[i * 3 + 1];
    mz += window[i * 3 + 2];
  }
  const float n = static_cast<float>(length);
  mx /= n;
  my /= n;
  mz /= n;
  const float norm = sqrtf(mx * mx + my * my + mz * mz);
  float r[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  float g = kStandardGravity;
  if (norm >= kMinGravity) {
    g = norm;
    const float ux = mx / norm, uy = my / norm, uz = mz / norm;
    if (1.0f + uz < 1e-6f) {
      // Mean points straight down: a half turn about x.
      r[4] = -1.0f;
      r[8] = -1.0f;
    } else {
      // R = cI + [v]x + v v^T / (1 + c) with v = u x z = (uy, -ux, 0), c = uz.
      const float v1 = uy, v2 = -ux, c = uz, k = 1.0f / (1.0f + c);
      const float rot[9] = {c + v1 * v1 * k, v1 * v2 * k, v2, v1 * v2 * k, c + v2 * v2 * k, -v1, -v2, v1, c};
      for (int j = 0; j < 9; ++j) r[j] = rot[j];
    }
  }
  for (size_t i = 0; i < length; ++i) {
    float *s = window + i * 3;
    const float x = s[0], y = s[1], z = s[2];
    s[0] = (r[0] * x + r[1] * y + r[2] * z) / g;
    s[1] = (r[3] * x + r[4] * y + r[5] * z) / g;
    s[2] = (r[6] * x + r[7] * y + r[8] * z - g) / g;
  }
}

size_t averagePool(const float *window, size_t length, size_t factor, float *out) {
  if (factor == 0) return 0;
  const size_t steps = length / factor;
  const float scale = 1.0f / static_cast<float>(factor);
  for (size_t s = 0; s < steps; ++s) {
    for (size_t axis = 0; axis < 3; ++axis) {
      float sum = 0.0f;
      for (size_t j = 0; j < factor; ++j) sum += window[(s * factor + j) * 3 + axis];
      out[s * 3 + axis] = sum * scale;  // in place is safe: output s is written after reading block s
    }
  }
  return steps;
}

float motionRms(const float *window, size_t length) {
  if (length == 0) return 0.0f;
  float mean[3] = {0.0f, 0.0f, 0.0f};
  for (size_t i = 0; i < length; ++i) {
    for (size_t axis = 0; axis < 3; ++axis) mean[axis] += window[i * 3 + axis];
  }
  for (float &m : mean) m /= static_cast<float>(length);
  float sum = 0.0f;
  for (size_t i = 0; i < length; ++i) {
    for (size_t axis = 0; axis < 3; ++axis) {
      const float d = window[i * 3 + axis] - mean[axis];
      sum += d * d;
    }
  }
  const float norm = sqrtf(mean[0] * mean[0] + mean[1] * mean[1] + mean[2] * mean[2]);
  return sqrtf(sum / static_cast<float>(length)) / (norm >= kMinGravity ? norm : kStandardGravity);
}

void rmsNormalize(float *values, size_t count) {
  if (count == 0) return;
  float sum = 0.0f;
  for (size_t i = 0; i < count; ++i) sum += values[i] * values[i];
  float rms = sqrtf(sum / static_cast<float>(count));
  if (rms < kMinRms) rms = kMinRms;
  for (size_t i = 0; i < count; ++i) values[i] /= rms;
}

}  // namespace wand
