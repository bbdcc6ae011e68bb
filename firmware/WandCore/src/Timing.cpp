#include "Timing.h"

namespace wand {

bool SampleSchedule::due(uint32_t nowUs) {
  if (finished()) return false;
  // Signed difference of the unsigned clock: correct across a wrap.
  if (static_cast<int32_t>(nowUs - (startUs_ + taken_ * periodUs_)) < 0) return false;
  ++taken_;
  return true;
}

uint32_t SampleSchedule::waitUs(uint32_t nowUs) const {
  if (finished()) return 0;
  const int32_t left = static_cast<int32_t>(startUs_ + taken_ * periodUs_ - nowUs);
  return left > 0 ? static_cast<uint32_t>(left) : 0;
}

bool PressDetector::update(bool pressed, uint32_t nowMs) {
  const bool wasPressed = pressed_;
  pressed_ = pressed;
  if (wasPressed && !pressed) {
    released_ = true;
    releasedAtMs_ = nowMs;
    return false;
  }
  if (!pressed || wasPressed) return false;
  // A new press: a bounce right after a release is not one.
  return !released_ || static_cast<uint32_t>(nowMs - releasedAtMs_) >= lockoutMs_;
}

LinkMonitor::Event LinkMonitor::update(bool connected, uint32_t nowMs) {
  if (!known_ || connected != up_) {
    known_ = true;
    up_ = connected;
    retryMs_ = baseRetryMs_;
    lastAttemptMs_ = nowMs;
    return connected ? Event::Up : Event::Down;
  }
  if (connected || static_cast<uint32_t>(nowMs - lastAttemptMs_) < retryMs_) return Event::None;
  lastAttemptMs_ = nowMs;
  retryMs_ = retryMs_ > maxRetryMs_ / 2 ? maxRetryMs_ : retryMs_ * 2;
  return Event::Reconnect;
}

}  // namespace wand
