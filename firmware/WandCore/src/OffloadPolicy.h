// When the wand asks the cloud. Time is injected (milliseconds from any monotonic clock that may
// wrap at 2^32, like Arduino's millis()), so the policy is tested without waiting.
#pragma once

#include <stdint.h>

namespace wand {

struct PolicySettings {
  /** Offload when the calibrated edge confidence is below this (0..1); from the model unless overridden. */
  float threshold;
  /** Consecutive cloud failures that open the circuit breaker (0 = never open). */
  uint8_t breakerFailures = 3;
  /** First cool-down after the breaker opens; doubles on each failed trial, up to maxCooldownMs. */
  uint32_t baseCooldownMs = 10000;
  uint32_t maxCooldownMs = 300000;
  /** Most offloads per minute (token bucket; 0 = no budget). */
  uint16_t budgetPerMinute = 0;
};

enum class Route : uint8_t {
  Local,           // confident enough: answer locally
  Offload,         // ask the cloud
  SkipOffline,     // would offload, but there is no network
  SkipBreakerOpen, // would offload, but the cloud failed repeatedly and is cooling down
  SkipBudget,      // would offload, but this minute's budget is spent
};

/** Short text for a route ("offline", "breaker open", ...), for log lines. */
const char *routeName(Route route);

class OffloadPolicy {
 public:
  explicit OffloadPolicy(const PolicySettings &settings);

  /**
   * Decides for one gesture. Offload consumes a budget token and, while the breaker is half-open,
   * makes this the single trial request. Every Offload must be followed by recordSuccess/recordFailure.
   */
  Route decide(float confidence, bool online, uint32_t nowMs);

  void recordSuccess(uint32_t nowMs);
  void recordFailure(uint32_t nowMs);
  /** The decided offload was never sent (e.g. the payload could not be written): neither success nor failure. */
  void recordNotSent();

  /** True while the breaker refuses offloads at `nowMs`. */
  bool breakerOpen(uint32_t nowMs) const;
  uint8_t consecutiveFailures() const { return failures_; }
  /** Cool-down applied the next time (or now, while open) the breaker opens. */
  uint32_t currentCooldownMs() const { return cooldownMs_; }
  const PolicySettings &settings() const { return settings_; }

 private:
  bool takeBudgetToken(uint32_t nowMs);

  PolicySettings settings_;
  uint8_t failures_ = 0;
  bool open_ = false;
  bool trialInFlight_ = false;
  uint32_t openedAtMs_ = 0;
  uint32_t cooldownMs_;
  // Budget tokens in units of 1/60000 of an offload, so refilling is integer arithmetic.
  uint32_t budgetMilliTokens_;
  uint32_t budgetUpdatedMs_ = 0;
  bool budgetStarted_ = false;
};

}  // namespace wand
