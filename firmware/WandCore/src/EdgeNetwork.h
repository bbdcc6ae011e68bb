// Interpreter for the layer tables of a generated edge_model.h (see CONVENTIONS.md, model folder contract).
// Model-agnostic: it takes the tables as data, so the same code runs any generated header and the
// hand-made tables of the unit tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace wand {

/** Columns of one row of WAND_EDGE_LAYERS. */
enum LayerColumn : int {
  kColKind = 0,
  kColActivation,
  kColInSteps,
  kColInChannels,
  kColOutSteps,
  kColOutChannels,
  kColKernel,
  kColStride,
  kColWeightOffset,
  kColBiasOffset,
  kLayerColumns
};

enum LayerKind : int32_t { kConv1d = 1, kDense = 2, kGlobalAveragePool = 3 };
enum Activation : int32_t { kNoActivation = 0, kRelu = 1 };

/** The generated tables, by pointer: the weights stay in flash. */
struct NetworkSpec {
  const int32_t (*layers)[kLayerColumns];
  size_t numLayers;
  const float *weights;
  size_t numWeights;
};

/**
 * Checks that the layers chain (each input is the previous output), that every weight and bias
 * lies inside the weight table and that no activation exceeds `maxActivations` floats.
 * Returns nullptr when the network can run, else a short reason (a static string).
 */
const char *validateNetwork(const NetworkSpec &net, size_t inputSize, size_t outputSize, size_t maxActivations);

/**
 * Runs the network on `input` (steps x channels, time-major). `scratchA` and `scratchB` hold
 * `maxActivations` floats each; `input` may alias neither. The last layer's output (the logits)
 * is copied to `logits`. The network must have passed validateNetwork with the same sizes.
 */
void runNetwork(const NetworkSpec &net, const float *input, float *scratchA, float *scratchB, float *logits);

/** Numerically stable softmax in place. */
void softmax(float *values, size_t n);

/** Multiply-adds of one forward pass (for the cost report). */
uint32_t networkMultiplyAdds(const NetworkSpec &net);

}  // namespace wand
