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
  // Offsets may be -1 (layers without weights); every other column is a count.
  for (int c = 0; c < kColWeightOffset; ++c) {
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

/**
 * out[o] = bias[o] + sum_j in[j] * w[j * outCh + o]: the one kernel behind conv1d and dense. Four
 * outputs at a time live in registers, so each multiply-add costs one weight load (and the x86
 * compiler turns the four lanes into one SIMD operation).
 */
void affine(const float *in, int32_t taps, const float *w, const float *bias, int32_t outCh, float *out) {
  int32_t o = 0;
  for (; o + 4 <= outCh; o += 4) {
    float a0 = bias[o], a1 = bias[o + 1], a2 = bias[o + 2], a3 = bias[o + 3];
    const float *row = w + o;
    for (int32_t j = 0; j < taps; ++j, row += outCh) {
      const float x = in[j];
      a0 += x * row[0];
      a1 += x * row[1];
      a2 += x * row[2];
      a3 += x * row[3];
    }
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
  }
  for (; o < outCh; ++o) {
    float a = bias[o];
    const float *row = w + o;
    for (int32_t j = 0; j < taps; ++j, row += outCh) a += in[j] * row[0];
    out[o] = a;
  }
}

// out[t][o] = b[o] + sum_k sum_i in[t*stride + k][i] * W[k][i][o]: in time-major order the kernel's
// inputs at step t are kernel*in_ch contiguous floats, so each output step is one affine map.
void conv1d(const int32_t *l, const float *weights, const float *in, float *out) {
  const int32_t inCh = l[kColInChannels];
  const int32_t outCh = l[kColOutChannels];
  const int32_t taps = l[kColKernel] * inCh;
  for (int32_t t = 0; t < l[kColOutSteps]; ++t) {
    affine(in + t * l[kColStride] * inCh, taps, weights + l[kColWeightOffset], weights + l[kColBiasOffset], outCh, out + t * outCh);
  }
}

void dense(const int32_t *l, const float *weights, const float *in, float *out) {
  affine(in, static_cast<int32_t>(inputSize(l)), weights + l[kColWeightOffset], weights + l[kColBiasOffset], l[kColOutChannels], out);
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
