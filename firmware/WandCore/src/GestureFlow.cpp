#include "GestureFlow.h"

#include <stdio.h>

#include "Payload.h"

namespace wand {

GestureFlow::GestureFlow(EdgeClassifier &classifier, OffloadPolicy &policy, Clock &clock, LogSink sink, void *sinkContext,
                         uint32_t deadlineMs)
    : classifier_(classifier), policy_(policy), clock_(clock), sink_(sink), sinkContext_(sinkContext), deadlineMs_(deadlineMs) {}

const char *GestureFlow::label(int index) const {
  const ModelSpec &spec = classifier_.spec();
  return (index >= 0 && static_cast<size_t>(index) < spec.numClasses) ? spec.labels[index] : "?";
}

void GestureFlow::useLocal(const char *why, bool cloudFailed) {
  answer_ = Answer{local_.label, local_.confidence, false};
  log(cloudFailed ? formatCloudFailed(line_, sizeof line_, why, label(local_.label), local_.confidence)
                  : formatOffloadSkipped(line_, sizeof line_, why, label(local_.label), local_.confidence));
}

Step GestureFlow::begin(const float *samples, size_t count, bool online) {
  startedMs_ = clock_.nowMs();
  payloadLength_ = 0;
  answer_ = Answer{};
  if (!classifier_.classify(samples, count, local_)) {
    log("NO_GESTURE: empty capture or unusable model");
    return Step::NoGesture;
  }
  log(formatLocalInference(line_, sizeof line_, label(local_.label), local_.confidence, clock_.nowMs() - startedMs_));
  answer_ = Answer{local_.label, local_.confidence, false};

  route_ = policy_.decide(local_.confidence, online, clock_.nowMs());
  if (route_ == Route::Local) return Step::Answered;
  if (route_ != Route::Offload) {
    useLocal(routeName(route_), false);
    return Step::Answered;
  }
  payloadLength_ = writePayload(samples, count, classifier_.payloadBuffer(), classifier_.payloadCapacity());
  if (payloadLength_ == 0) {
    policy_.recordNotSent();
    useLocal("payload not written (capture too long or not finite)", true);
    return Step::Answered;
  }
  log(formatOffload(line_, sizeof line_, label(local_.label), local_.confidence, policy_.settings().threshold, payloadLength_));
  return Step::SendToCloud;
}

const Answer &GestureFlow::finish(const CloudOutcome &outcome) {
  const uint32_t now = clock_.nowMs();
  const uint32_t elapsed = now - startedMs_;
  const char *why = nullptr;
  CloudAnswer cloud;
  if (outcome.httpStatus <= 0) {
    why = outcome.transportError != nullptr ? outcome.transportError : "no response";
  } else if (outcome.httpStatus != 200) {
    snprintf(reason_, sizeof reason_, "http %d", outcome.httpStatus);
    why = reason_;
  } else if (outcome.bodyTruncated) {
    why = "response too large";
  } else if (elapsed > deadlineMs_) {
    snprintf(reason_, sizeof reason_, "late (%lums > %lums)", static_cast<unsigned long>(elapsed), static_cast<unsigned long>(deadlineMs_));
    why = reason_;
  } else {
    const ModelSpec &spec = classifier_.spec();
    const ResponseError error = readResponse(outcome.body, outcome.bodyLength, spec.labels, spec.numClasses, cloud);
    if (error != ResponseError::None) why = responseErrorName(error);
  }
  if (why != nullptr) {
    policy_.recordFailure(now);
    useLocal(why, true);
    return answer_;
  }
  policy_.recordSuccess(now);
  answer_ = Answer{cloud.label, cloud.confidence, true};
  log(formatCloudInference(line_, sizeof line_, label(cloud.label), cloud.confidence, elapsed));
  return answer_;
}

}  // namespace wand
