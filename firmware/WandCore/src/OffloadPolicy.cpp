#include "OffloadPolicy.h"

namespace wand {
namespace {
constexpr uint32_t kMinuteMs = 60000;
}

const char *routeName(Route route) {
  switch (route) {
    case Route::Local:
      return "local";
    case Route::Offload:
      return "offload";
    case Route::SkipOffline:
      return "offline";
    case Route::SkipBreakerOpen:
      return "breaker open";
    case Route::SkipBudget:
      return "budget spent";
  }
  return "?";
}

OffloadPolicy::OffloadPolicy(const PolicySettings &settings)
    : settings_(settings),
      cooldownMs_(settings.baseCooldownMs),
      budgetMilliTokens_(static_cast<uint32_t>(settings.budgetPerMinute) * kMinuteMs) {}

bool OffloadPolicy::breakerOpen(uint32_t nowMs) const {
  // Unsigned difference: correct across a wrap of the 32-bit clock.
  return open_ && (trialInFlight_ || static_cast<uint32_t>(nowMs - openedAtMs_) < cooldownMs_);
}

bool OffloadPolicy::takeBudgetToken(uint32_t nowMs) {
  if (settings_.budgetPerMinute == 0) return true;
  const uint32_t capacity = static_cast<uint32_t>(settings_.budgetPerMinute) * kMinuteMs;
  if (budgetStarted_) {
    uint32_t elapsed = nowMs - budgetUpdatedMs_;
    if (elapsed > kMinuteMs) elapsed = kMinuteMs;  // a full minute refills the bucket; also bounds the product
    const uint32_t refill = elapsed * settings_.budgetPerMinute;
    budgetMilliTokens_ = (capacity - budgetMilliTokens_ < refill) ? capacity : budgetMilliTokens_ + refill;
  }
  budgetStarted_ = true;
  budgetUpdatedMs_ = nowMs;
  if (budgetMilliTokens_ < kMinuteMs) return false;
  budgetMilliTokens_ -= kMinuteMs;
  return true;
}

Route OffloadPolicy::decide(float confidence, bool online, uint32_t nowMs) {
  // NaN compares false: a broken confidence is treated as unsure.
  if (confidence >= settings_.threshold) return Route::Local;
  if (!online) return Route::SkipOffline;
  if (breakerOpen(nowMs)) return Route::SkipBreakerOpen;
  if (!takeBudgetToken(nowMs)) return Route::SkipBudget;
  if (open_) trialInFlight_ = true;  // half-open: this request decides whether the breaker closes
  return Route::Offload;
}

void OffloadPolicy::recordSuccess(uint32_t) {
  failures_ = 0;
  open_ = false;
  trialInFlight_ = false;
  cooldownMs_ = settings_.baseCooldownMs;
}

void OffloadPolicy::recordNotSent() { trialInFlight_ = false; }

void OffloadPolicy::recordFailure(uint32_t nowMs) {
  if (failures_ < UINT8_MAX) ++failures_;
  if (open_) {
    // The half-open trial failed: stay open, wait twice as long.
    trialInFlight_ = false;
    cooldownMs_ = (cooldownMs_ > settings_.maxCooldownMs / 2) ? settings_.maxCooldownMs : cooldownMs_ * 2;
    openedAtMs_ = nowMs;
    return;
  }
  if (settings_.breakerFailures != 0 && failures_ >= settings_.breakerFailures) {
    open_ = true;
    openedAtMs_ = nowMs;
  }
}

}  // namespace wand
