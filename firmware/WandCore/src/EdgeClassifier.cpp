#include "EdgeClassifier.h"

#include "Features.h"

namespace wand {

const char *EdgeClassifier::begin() {
  ready_ = false;
  if (spec_.numClasses < 2 || spec_.numClasses > kMaxClasses) return "unsupported number of classes";
  if (spec_.poolFactor == 0 || spec_.windowLength / spec_.poolFactor != spec_.edgeSteps) return "edge steps do not match the window";
  if (const char *why = validateNetwork(spec_.network, spec_.edgeSteps * 3, spec_.numClasses, spec_.maxActivations)) {
    return why;
  }
  ready_ = true;
  return nullptr;
}

const float *EdgeClassifier::features(const float *samples, size_t count, float *motion) {
  if (!resample(samples, count, ws_.window, spec_.windowLength)) return nullptr;
  if (motion != nullptr) *motion = motionRms(ws_.window, spec_.windowLength);
  if (spec_.gravityAlign) gravityAlign(ws_.window, spec_.windowLength);
  const size_t steps = averagePool(ws_.window, spec_.windowLength, spec_.poolFactor, ws_.window);
  if (spec_.rmsNormalize) rmsNormalize(ws_.window, steps * 3);
  return ws_.window;
}

bool EdgeClassifier::classify(const float *samples, size_t count, Prediction &out) {
  if (!ready_) return false;
  const float *input = features(samples, count, &out.motion);
  if (input == nullptr) return false;
  runNetwork(spec_.network, input, ws_.scratchA, ws_.scratchB, out.probabilities);
  softmax(out.probabilities, spec_.numClasses);
  out.label = 0;
  for (size_t c = 1; c < spec_.numClasses; ++c) {
    if (out.probabilities[c] > out.probabilities[out.label]) out.label = static_cast<int>(c);
  }
  out.confidence = out.probabilities[out.label];
  return true;
}

}  // namespace wand
