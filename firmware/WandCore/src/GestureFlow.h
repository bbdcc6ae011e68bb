// One gesture from capture to the answer the wand acts on, shared by the sketch and the host
// simulator. Split in two calls so the HTTP request (blocking on the device, asynchronous in Node)
// happens between them:
//
//   switch (flow.begin(samples, count, online)) {
//     case Step::SendToCloud: flow.finish(post(flow.payload(), flow.payloadLength())); break;
//     case Step::Answered: break;
//     case Step::NoGesture: ...;
//   }
//   act(flow.answer());
//
// Whatever the network does, answer() ends up holding the cloud's answer when it arrived in time,
// else the local one, and the log says which.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "EdgeClassifier.h"
#include "LogLine.h"
#include "OffloadPolicy.h"
#include "ResponseReader.h"

namespace wand {

/** Bytes the wand keeps of a cloud response; a longer body is refused as too large. */
constexpr size_t kResponseBufferBytes = 512;

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

/** What the HTTP exchange produced. */
struct CloudOutcome {
  int httpStatus = 0;                   // the HTTP status, or <= 0 when no response arrived
  const char *transportError = nullptr; // why no response arrived ("timeout", "connection refused", ...)
  const char *body = nullptr;
  size_t bodyLength = 0;
  bool bodyTruncated = false;  // the body did not fit the receive buffer
};

struct Answer {
  int label = -1;
  float confidence = 0.0f;  // 0..1
  bool fromCloud = false;
};

class GestureFlow {
 public:
  /** `deadlineMs`: a cloud answer arriving later than this after begin() is not used. */
  GestureFlow(EdgeClassifier &classifier, OffloadPolicy &policy, Clock &clock, LogSink sink, void *sinkContext, uint32_t deadlineMs);

  /** Classifies and decides. On SendToCloud, payload() holds the body until the next begin(). */
  Step begin(const float *samples, size_t count, bool online);
  /** Only after begin() returned SendToCloud. */
  const Answer &finish(const CloudOutcome &outcome);

  const Answer &answer() const { return answer_; }
  const Prediction &local() const { return local_; }
  Route route() const { return route_; }
  const char *payload() const { return classifier_.payloadBuffer(); }
  size_t payloadLength() const { return payloadLength_; }
  uint32_t deadlineMs() const { return deadlineMs_; }

 private:
  const char *label(int index) const;
  void log(const char *line) { sink_(sinkContext_, line); }
  void useLocal(const char *why, bool cloudFailed);

  EdgeClassifier &classifier_;
  OffloadPolicy &policy_;
  Clock &clock_;
  LogSink sink_;
  void *sinkContext_;
  uint32_t deadlineMs_;
  uint32_t startedMs_ = 0;
  Prediction local_;
  Answer answer_;
  Route route_ = Route::Local;
  size_t payloadLength_ = 0;
  char line_[kLogLineCapacity];
  char reason_[48];
};

}  // namespace wand
