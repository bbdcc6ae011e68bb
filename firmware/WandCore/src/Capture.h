// The raw gesture capture: interleaved x,y,z in m/s^2, in a buffer sized at compile time.
#pragma once

#include <stddef.h>

#ifndef WAND_CAPTURE_SAMPLES
// 1.6 s at 100 Hz: the lab's 1 s captures (~101 samples) and the 1.5 s variants (151) both fit.
#define WAND_CAPTURE_SAMPLES 160
#endif

namespace wand {

constexpr size_t kCaptureSamples = WAND_CAPTURE_SAMPLES;

class Capture {
 public:
  void clear() {
    count_ = 0;
    overflowed_ = false;
  }
  /** Appends one sample; false (and remembered in overflowed()) once the buffer is full. */
  bool push(float x, float y, float z) {
    if (count_ >= kCaptureSamples) {
      overflowed_ = true;
      return false;
    }
    float *s = samples_ + count_ * 3;
    s[0] = x;
    s[1] = y;
    s[2] = z;
    ++count_;
    return true;
  }
  bool full() const { return count_ >= kCaptureSamples; }
  bool overflowed() const { return overflowed_; }
  size_t count() const { return count_; }
  const float *samples() const { return samples_; }

 private:
  float samples_[kCaptureSamples * 3];
  size_t count_ = 0;
  bool overflowed_ = false;
};

}  // namespace wand
