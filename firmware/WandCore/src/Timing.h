// The device's timing rules, on injected clocks so the host tests them without waiting: the
// capture's sample schedule, the button's release lockout, and Wi-Fi supervision.
#pragma once

#include <stdint.h>

namespace wand {

/**
 * The lab's capture (REFERENCE 1.1) on an exact schedule: sample k is due at start + k * period
 * microseconds, k = 0 .. samples - 1 (1 s at 10 ms: 101 samples, timestamps 0..1000). A late
 * sample does not shift the ones after it, so the rate does not drift. 32-bit micros() may wrap.
 */
class SampleSchedule {
 public:
  SampleSchedule(uint32_t periodUs, uint32_t durationUs) : periodUs_(periodUs), samples_(durationUs / periodUs + 1) {}
  void start(uint32_t nowUs) {
    startUs_ = nowUs;
    taken_ = 0;
  }
  /** True when the next sample is due at `nowUs` (it is then counted as taken). */
  bool due(uint32_t nowUs);
  bool finished() const { return taken_ >= samples_; }
  uint32_t samples() const { return samples_; }
  /** Microseconds until the next sample is due (0 when it is, or when finished). */
  uint32_t waitUs(uint32_t nowUs) const;

 private:
  uint32_t periodUs_;
  uint32_t samples_;
  uint32_t startUs_ = 0;
  uint32_t taken_ = 0;
};

/**
 * One capture per press: a press starts one only when the button was released for at least
 * `lockoutMs` before it, so contact bounce on release cannot start a second capture.
 */
class PressDetector {
 public:
  explicit PressDetector(uint32_t lockoutMs) : lockoutMs_(lockoutMs) {}
  /** Feed the button state (true = pressed); true once per accepted press. */
  bool update(bool pressed, uint32_t nowMs);

 private:
  uint32_t lockoutMs_;
  bool pressed_ = false;
  bool released_ = false;  // a release has been seen since start
  uint32_t releasedAtMs_ = 0;
};

/**
 * Wi-Fi supervision: reports each change between up and down once, and while down asks for an
 * active reconnect every `retryMs` (doubling to `maxRetryMs`), instead of trusting auto-reconnect.
 */
class LinkMonitor {
 public:
  enum class Event { None, Up, Down, Reconnect };
  LinkMonitor(uint32_t retryMs, uint32_t maxRetryMs) : baseRetryMs_(retryMs), maxRetryMs_(maxRetryMs), retryMs_(retryMs) {}
  Event update(bool connected, uint32_t nowMs);
  bool up() const { return up_; }
  uint32_t nextRetryMs() const { return retryMs_; }

 private:
  uint32_t baseRetryMs_;
  uint32_t maxRetryMs_;
  uint32_t retryMs_;
  bool known_ = false;
  bool up_ = false;
  uint32_t lastAttemptMs_ = 0;
};

}  // namespace wand
