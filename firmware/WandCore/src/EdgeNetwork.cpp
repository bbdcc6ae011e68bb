#include "EdgeNetwork.h"

#include <math.h>

namespace wand {
namespace {

size_t inputSize(const int32_t *l) { return static_cast<size_t>(l[kColInSteps]) * static_cast<size_t>(l[kColInChannels]); }
size_t outputSize(const int32_t *l) { return static_cast<size_t>(l[kColOutSteps]) * static_cast<size_t>(l[kColOutChannels]); }

/** Number of weights (not biases) a layer reads. */
size_t weightCount(const int32_t *l) {
  switch (l[kColKind]) {
    case kConv1d:
      return static_cast<size_t>(l[kColKernel]) * l[kColInChannels] * l[kColOutChannels];
    case kDense:
      return inputSize(l) * static_cast<size_t>(l[kColOutChannels]);
    default:
      return 0;
  }
}

bool fitsIn(int32_t offset, size_t count, size_t total) {
  return offset >= 0 && static_cast<size_t>(offset) <= total && count <= total - static_cast<size_t>(offset);
}

const char *validateLayer(const int32_t *l, size_t numWeights) {
  for (int c = 0; c < kLayerColumns; ++c) {
    if (l[c] < 0) return "negative entry in a layer row";
  }
  if (l[kColInSteps] == 0 || l[kColInChannels] == 0 || l[kColOutSteps] == 0 || l[kColOutChannels] == 0) {
    return "empty layer shape";
  }
  if (l[kColActivation] != kNoActivation && l[kColActivation] != kRelu) return "unknown activation";
  switch (l[kColKind]) {
    case kConv1d:
      if (l[kColKernel] < 1 || l[kColStride] < 1 || l[kColKernel] > l[kColInSteps]) return "bad conv1d kernel or stride";
      if (l[kColOutSteps] != (l[kColInSteps] - l[kColKernel]) / l[kColStride] + 1) return "conv1d out_steps mismatch";
      break;
    case kDense:
      if (l[kColOutSteps] != 1) return "dense out_steps must be 1";
      break;
    case kGlobalAveragePool:
      if (l[kColOutSteps] != 1 || l[kColOutChannels] != l[kColInChannels]) return "global pool shape mismatch";
      return nullptr;
    default:
      return "unknown layer kind";
  }
  if (!fitsIn(l[kColWeightOffset], weightCount(l), numWeights)) return "weights outside the weight table";
  if (!fitsIn(l[kColBiasOffset], static_cast<size_t>(l[kColOutChannels]), numWeights)) return "bias outside the weight table";
  return nullptr;
}

void activate(float *values, size_t n, int32_t activation) {
  if (activation != kRelu) return;
  for (size_t i = 0; i < n; ++i) {
    if (values[i] < 0.0f) values[i] = 0.0f;
  }
}

// out[t][o] = b[o] + sum_k sum_i in[t*stride + k][i] * W[k][i][o]; the inner loop runs over o so
// weights are read in their stored order.
void conv1d(const int32_t *l, const float *weights, const float *in, float *out) {
  const int32_t inCh = l[kColInChannels];
  const int32_t outCh = l[kColOutChannels];
  const float *w = weights + l[kColWeightOffset];
  const float *bias = weights + l[kColBiasOffset];
  for (int32_t t = 0; t < l[kColOutSteps]; ++t) {
    float *acc = out + t * outCh;
    for (int32_t o = 0; o < outCh; ++o) acc[o] = bias[o];
    const float *window = in + t * l[kColStride] * inCh;
    const int32_t taps = l[kColKernel] * inCh;  // the kernel's inputs are contiguous in time-major order
    for (int32_t j = 0; j < taps; ++j) {
      const float x = window[j];
      const float *row = w + j * outCh;
      for (int32_t o = 0; o < outCh; ++o) acc[o] += x * row[o];
    }
  }
}

void dense(const int32_t *l, const float *weights, const float *in, float *out) {
  const int32_t n = static_cast<int32_t>(inputSize(l));
  const int32_t outCh = l[kColOutChannels];
  const float *w = weights + l[kColWeightOffset];
  const float *bias = weights + l[kColBiasOffset];
  for (int32_t o = 0; o < outCh; ++o) out[o] = bias[o];
  for (int32_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float *row = w + i * outCh;
    for (int32_t o = 0; o < outCh; ++o) out[o] += x * row[o];
  }
}

void globalAveragePool(const int32_t *l, const float *in, float *out) {
  const int32_t steps = l[kColInSteps];
  const int32_t ch = l[kColInChannels];
  for (int32_t c = 0; c < ch; ++c) out[c] = 0.0f;
  for (int32_t t = 0; t < steps; ++t) {
    for (int32_t c = 0; c < ch; ++c) out[c] += in[t * ch + c];
  }
  const float scale = 1.0f / static_cast<float>(steps);
  for (int32_t c = 0; c < ch; ++c) out[c] *= scale;
}

}  // namespace

const char *validateNetwork(const NetworkSpec &net, size_t inputSz, size_t outputSz, size_t maxActivations) {
  if (net.layers == nullptr || net.numLayers == 0) return "no layers";
  if (net.weights == nullptr && net.numWeights != 0) return "missing weight table";
  size_t expected = inputSz;
  for (size_t i = 0; i < net.numLayers; ++i) {
    const int32_t *l = net.layers[i];
    if (const char *why = validateLayer(l, net.numWeights)) return why;
    if (inputSize(l) != expected) return "layer input does not match the previous output";
    if (inputSize(l) > maxActivations || outputSize(l) > maxActivations) return "activation larger than the buffers";
    expected = outputSize(l);
  }
  if (expected != outputSz) return "last layer does not output one logit per class";
  return nullptr;
}

void runNetwork(const NetworkSpec &net, const float *input, float *scratchA, float *scratchB, float *logits) {
  const float *in = input;
  float *out = scratchA;
  for (size_t i = 0; i < net.numLayers; ++i) {
    const int32_t *l = net.layers[i];
    switch (l[kColKind]) {
      case kConv1d:
        conv1d(l, net.weights, in, out);
        break;
      case kDense:
        dense(l, net.weights, in, out);
        break;
      default:
        globalAveragePool(l, in, out);
        break;
    }
    activate(out, outputSize(l), l[kColActivation]);
    in = out;
    out = (out == scratchA) ? scratchB : scratchA;
  }
  const size_t n = outputSize(net.layers[net.numLayers - 1]);
  for (size_t i = 0; i < n; ++i) logits[i] = in[i];
}

void softmax(float *values, size_t n) {
  if (n == 0) return;
  float peak = values[0];
  for (size_t i = 1; i < n; ++i) {
    if (values[i] > peak) peak = values[i];
  }
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    values[i] = expf(values[i] - peak);
    sum += values[i];
  }
  for (size_t i = 0; i < n; ++i) values[i] /= sum;
}

uint32_t networkMultiplyAdds(const NetworkSpec &net) {
  uint32_t total = 0;
  for (size_t i = 0; i < net.numLayers; ++i) {
    const int32_t *l = net.layers[i];
    if (l[kColKind] == kConv1d) total += static_cast<uint32_t>(weightCount(l) * static_cast<size_t>(l[kColOutSteps]));
    if (l[kColKind] == kDense) total += static_cast<uint32_t>(weightCount(l));
    if (l[kColKind] == kGlobalAveragePool) total += static_cast<uint32_t>(inputSize(l));
  }
  return total;
}

}  // namespace wand
