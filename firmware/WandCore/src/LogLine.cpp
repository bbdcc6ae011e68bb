#include "LogLine.h"

#include <stdio.h>

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

}  // namespace wand
