// Raw capture -> resampled window -> edge features -> calibrated class probabilities.
// Model-agnostic: the generated header is bound in one translation unit by BindEdgeModel.h.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "EdgeNetwork.h"

namespace wand {

/** Most classes any model may have; sizes the probability arrays. */
constexpr size_t kMaxClasses = 16;

/** Everything the generated edge_model.h says, by value or by pointer into its tables. */
struct ModelSpec {
  const char *name;
  const char *version;
  const char *const *labels;
  size_t numClasses;
  size_t windowLength;  // resampled samples per window
  size_t poolFactor;
  size_t edgeSteps;  // windowLength / poolFactor
  bool gravityAlign;
  bool rmsNormalize;  // scale the pooled features to unit RMS
  float offloadThreshold;  // calibrated confidence below which the wand asks the cloud
  NetworkSpec network;
  size_t maxActivations;  // floats per scratch buffer
};

/**
 * Working memory for one classification, sized at compile time by the binding. The cloud payload
 * has its own buffer (CloudExchange): a request may outlive the gesture that made it.
 */
struct Workspace {
  float *window;  // windowLength * 3 floats: the resampled window, then the features in place
  float *scratchA;
  float *scratchB;  // maxActivations floats each
};

struct Prediction {
  int label = -1;  // index into the model's labels
  float confidence = 0.0f;  // probability of `label`, 0..1
  float probabilities[kMaxClasses] = {};
  float motion = 0.0f;  // motionRms of the resampled window, in g
};

class EdgeClassifier {
 public:
  EdgeClassifier(const ModelSpec &spec, const Workspace &workspace) : spec_(spec), ws_(workspace) {}

  /** Checks the model tables once; nullptr when usable, else the reason. classify() refuses until then. */
  const char *begin();

  /**
   * The edge model's input for a raw capture: edgeSteps * 3 floats (valid until the next call).
   * `motion`, when given, receives the capture's motionRms.
   */
  const float *features(const float *samples, size_t count, float *motion = nullptr);

  /** Classifies `count` interleaved raw samples. False on an empty capture or an unchecked model. */
  bool classify(const float *samples, size_t count, Prediction &out);

  const ModelSpec &spec() const { return spec_; }

 private:
  const ModelSpec &spec_;
  Workspace ws_;
  bool ready_ = false;
};

}  // namespace wand
