#include "LogLine.h"

#include <stdio.h>

#include "Payload.h"

namespace wand {
namespace {

/** Confidence 0..1 as the percentage printed in the lab's lines. */
double percent(float confidence) { return static_cast<double>(confidence) * 100.0; }

const char *fallbackLine(char *buffer, size_t capacity, const char *tag, const char *reason, const char *label, float confidence) {
  snprintf(buffer, capacity, "%s: %s -> using local %s (%.1f%%)", tag, reason, label, percent(confidence));
  return buffer;
}

const char *resultLine(char *buffer, size_t capacity, const char *tag, const char *label, float confidence, uint32_t latencyMs) {
  snprintf(buffer, capacity, "%s: %s (%.1f%%) latency=%lums", tag, label, percent(confidence), static_cast<unsigned long>(latencyMs));
  return buffer;
}

}  // namespace

const char *formatLocalInference(char *buffer, size_t capacity, const char *label, float confidence, uint32_t latencyMs) {
  return resultLine(buffer, capacity, "LOCAL_INFERENCE", label, confidence, latencyMs);
}

const char *formatOffload(char *buffer, size_t capacity, const char *label, float confidence, float threshold, size_t payloadBytes) {
  snprintf(buffer, capacity, "OFFLOAD_TO_CLOUD: local %s (%.1f%%) below %.1f%%, sending %lu bytes", label, percent(confidence),
           percent(threshold), static_cast<unsigned long>(payloadBytes));
  return buffer;
}

const char *formatCloudInference(char *buffer, size_t capacity, const char *label, float confidence, uint32_t latencyMs) {
  return resultLine(buffer, capacity, "CLOUD_INFERENCE", label, confidence, latencyMs);
}

const char *formatCloudFailed(char *buffer, size_t capacity, const char *reason, const char *label, float confidence) {
  return fallbackLine(buffer, capacity, "CLOUD_FAILED", reason, label, confidence);
}

const char *formatOffloadSkipped(char *buffer, size_t capacity, const char *reason, const char *label, float confidence) {
  return fallbackLine(buffer, capacity, "OFFLOAD_SKIPPED", reason, label, confidence);
}

const char *formatNoGesture(char *buffer, size_t capacity, float motionG, float minMotionG) {
  snprintf(buffer, capacity, "NO_GESTURE: motion %.3f g below %.3f g", static_cast<double>(motionG), static_cast<double>(minMotionG));
  return buffer;
}

const char *formatCloudUnusable(char *buffer, size_t capacity, const char *cloudLabel, float cloudConfidence, const char *label, float confidence) {
  snprintf(buffer, capacity, "CLOUD_UNUSABLE: cloud answered \"%s\" (%.1f%%), not a label of this wand -> using local %s (%.1f%%)", cloudLabel,
           percent(cloudConfidence), label, percent(confidence));
  return buffer;
}

const char *formatModelMismatch(char *buffer, size_t capacity, const char *cloudModel, const char *cloudVersion, const char *model, const char *version) {
  snprintf(buffer, capacity, "MODEL_MISMATCH: cloud serves %s %s, this wand has %s %s", cloudModel, cloudVersion, model, version);
  return buffer;
}

const char *formatCaptureBegin(char *buffer, size_t capacity, const char *label, size_t samples) {
  snprintf(buffer, capacity, "CAPTURE_BEGIN %s %lu", label, static_cast<unsigned long>(samples));
  return buffer;
}

const char *formatCaptureRow(char *buffer, size_t capacity, size_t index, const float *sample) {
  // Widest row: 10 digits of timestamp and three numbers of 8 characters, with commas and the NUL.
  char row[11 + 3 * 9 + 1];
  char *out = row + snprintf(row, 12, "%lu", static_cast<unsigned long>(index * kCaptureRowPeriodMs));
  for (int axis = 0; axis < 3; ++axis) {
    *out++ = ',';
    out = writeFixed(sample[axis], 2, out);
  }
  *out = '\0';
  snprintf(buffer, capacity, "%s", row);
  return buffer;
}

}  // namespace wand
