// One gesture from capture to the answer the wand acts on, shared by the sketch and the host
// simulator. Split in two calls so the HTTP request (blocking on the device, asynchronous in Node)
// happens between them:
//
//   switch (flow.begin(samples, count, online)) {
//     case Step::SendToCloud: flow.finish(post(flow.payload(), flow.payloadLength())); break;
//     case Step::Answered: break;
//     case Step::NoGesture: ...;  // the wand did not move: nothing to act on
//   }
//   act(flow.answer());
//
// The request body lives in the CloudExchange, not in the classifier's memory: on the device the
// request runs in its own task and may outlive the gesture's deadline (CloudExchange.h). Whatever
// the network does, answer() ends up holding the cloud's answer when it arrived in time, else the
// local one, and the log says which.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "CloudExchange.h"
#include "EdgeClassifier.h"
#include "LogLine.h"
#include "OffloadPolicy.h"
#include "ResponseReader.h"

namespace wand {

/** Milliseconds from a monotonic clock that may wrap (Arduino millis(), or an injected test clock). */
class Clock {
 public:
  virtual uint32_t nowMs() = 0;

 protected:
  ~Clock() = default;
};

/** Receives each finished log line (Serial.println on the device). */
using LogSink = void (*)(void *context, const char *line);

enum class Step : uint8_t { Answered, SendToCloud, NoGesture };

struct FlowSettings {
  /** A cloud answer arriving later than this after begin() is not used. */
  uint32_t deadlineMs = 4000;
  /** Captures with less motion than this (motionRms, g) are no gesture: not classified further, never offloaded. */
  float minMotionG = 0.03f;
};

struct Answer {
  int label = -1;
  float confidence = 0.0f;  // 0..1
  bool fromCloud = false;
};

class GestureFlow {
 public:
  GestureFlow(EdgeClassifier &classifier, OffloadPolicy &policy, CloudExchange &exchange, Clock &clock, LogSink sink, void *sinkContext,
              const FlowSettings &settings);

  /**
   * Classifies and decides. On SendToCloud the exchange is claimed and payload() holds the body;
   * the caller then runs the request and calls finish() exactly once.
   */
  Step begin(const float *samples, size_t count, bool online);
  /** Only after begin() returned SendToCloud. Frees the exchange unless it was abandoned (CloudExchange::abandon). */
  const Answer &finish(const CloudOutcome &outcome);
  /** Milliseconds left of the deadline of the gesture begun last (0 once it has passed). */
  uint32_t remainingMs();

  const Answer &answer() const { return answer_; }
  const Prediction &local() const { return local_; }
  Route route() const { return route_; }
  const char *payload() const { return exchange_.payload(); }
  size_t payloadLength() const { return exchange_.payloadLength(); }
  const FlowSettings &settings() const { return settings_; }

 private:
  const char *label(int index) const;
  void log(const char *line) { sink_(sinkContext_, line); }
  void useLocal(const char *why, bool cloudFailed);
  /** The cloud answered with a label this wand does not have: healthy, but not usable. */
  void cloudUnusable(const CloudAnswer &cloud);
  void checkModel(const CloudAnswer &cloud);

  EdgeClassifier &classifier_;
  OffloadPolicy &policy_;
  CloudExchange &exchange_;
  Clock &clock_;
  LogSink sink_;
  void *sinkContext_;
  FlowSettings settings_;
  uint32_t startedMs_ = 0;
  Prediction local_;
  Answer answer_;
  Route route_ = Route::Local;
  bool modelWarned_ = false;
  char line_[kLogLineCapacity];
  char reason_[48];
};

}  // namespace wand
