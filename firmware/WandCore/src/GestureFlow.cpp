#include "GestureFlow.h"

#include <stdio.h>
#include <string.h>

#include "Payload.h"

namespace wand {

GestureFlow::GestureFlow(EdgeClassifier &classifier, OffloadPolicy &policy, CloudExchange &exchange, Clock &clock, LogSink sink,
                         void *sinkContext, const FlowSettings &settings)
    : classifier_(classifier),
      policy_(policy),
      exchange_(exchange),
      clock_(clock),
      sink_(sink),
      sinkContext_(sinkContext),
      settings_(settings) {}

uint32_t GestureFlow::remainingMs() {
  const uint32_t elapsed = clock_.nowMs() - startedMs_;
  return elapsed >= settings_.deadlineMs ? 0 : settings_.deadlineMs - elapsed;
}

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
  answer_ = Answer{};
  route_ = Route::Local;
  if (!classifier_.classify(samples, count, local_)) {
    log("NO_GESTURE: empty capture or unusable model");
    return Step::NoGesture;
  }
  // NaN compares false: a broken capture is no gesture either.
  if (!(local_.motion >= settings_.minMotionG)) {
    log(formatNoGesture(line_, sizeof line_, local_.motion, settings_.minMotionG));
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
  if (!exchange_.claim()) {
    policy_.recordNotSent();
    useLocal("previous request still running", false);
    return Step::Answered;
  }
  const size_t length = writePayload(samples, count, exchange_.payload(), exchange_.payloadCapacity());
  if (length == 0) {
    exchange_.complete();
    exchange_.release();
    policy_.recordNotSent();
    useLocal("payload not written (capture too long or not finite)", true);
    return Step::Answered;
  }
  exchange_.setPayloadLength(length);
  log(formatOffload(line_, sizeof line_, label(local_.label), local_.confidence, policy_.settings().threshold, length));
  return Step::SendToCloud;
}

void GestureFlow::cloudUnusable(const CloudAnswer &cloud) {
  answer_ = Answer{local_.label, local_.confidence, false};
  log(formatCloudUnusable(line_, sizeof line_, cloud.gesture, cloud.confidence, label(local_.label), local_.confidence));
}

void GestureFlow::checkModel(const CloudAnswer &cloud) {
  if (modelWarned_ || cloud.model[0] == '\0') return;
  const ModelSpec &spec = classifier_.spec();
  if (strcmp(cloud.model, spec.name) == 0 && (cloud.version[0] == '\0' || strcmp(cloud.version, spec.version) == 0)) return;
  modelWarned_ = true;
  log(formatModelMismatch(line_, sizeof line_, cloud.model, cloud.version[0] != '\0' ? cloud.version : "?", spec.name, spec.version));
}

const Answer &GestureFlow::finish(const CloudOutcome &outcome) {
  const uint32_t now = clock_.nowMs();
  const uint32_t elapsed = now - startedMs_;
  const char *why = nullptr;
  CloudAnswer cloud;
  ResponseError error = ResponseError::None;
  if (outcome.httpStatus <= 0) {
    why = outcome.transportError != nullptr ? outcome.transportError : "no response";
  } else if (outcome.httpStatus == 429) {
    why = "rate limited";
  } else if (outcome.httpStatus != 200) {
    snprintf(reason_, sizeof reason_, "http %d", outcome.httpStatus);
    why = reason_;
  } else if (outcome.bodyTruncated) {
    why = "response too large";
  } else if (elapsed > settings_.deadlineMs) {
    snprintf(reason_, sizeof reason_, "late (%lums > %lums)", static_cast<unsigned long>(elapsed), static_cast<unsigned long>(settings_.deadlineMs));
    why = reason_;
  } else {
    const ModelSpec &spec = classifier_.spec();
    error = readResponse(outcome.body, outcome.bodyLength, spec.labels, spec.numClasses, cloud);
    if (error != ResponseError::None && error != ResponseError::UnknownLabel) why = responseErrorName(error);
  }
  exchange_.release();
  if (why != nullptr) {
    policy_.recordFailure(now);
    useLocal(why, true);
    return answer_;
  }
  // A well-formed answer: the cloud is healthy, whether or not its label is one of ours.
  policy_.recordSuccess(now);
  checkModel(cloud);
  if (error == ResponseError::UnknownLabel) {
    cloudUnusable(cloud);
    return answer_;
  }
  answer_ = Answer{cloud.label, cloud.confidence, true};
  log(formatCloudInference(line_, sizeof line_, label(cloud.label), cloud.confidence, elapsed));
  return answer_;
}

}  // namespace wand
