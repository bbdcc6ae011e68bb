// Serial log lines in the lab's format (students photograph them as their deliverable):
//   LOCAL_INFERENCE: V (92.3%) latency=12ms
//   OFFLOAD_TO_CLOUD: local V (61.0%) below 80.0%, sending 1622 bytes
//   CLOUD_INFERENCE: O (97.1%) latency=234ms
//   CLOUD_FAILED: timeout -> using local V (61.0%)
//   OFFLOAD_SKIPPED: breaker open -> using local V (61.0%)
// Each writes at most `capacity` bytes including the NUL (longer lines are cut) and returns `buffer`.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace wand {

/** Enough for every line with labels and reasons of sane length. */
constexpr size_t kLogLineCapacity = 128;

const char *formatLocalInference(char *buffer, size_t capacity, const char *label, float confidence, uint32_t latencyMs);
const char *formatOffload(char *buffer, size_t capacity, const char *label, float confidence, float threshold, size_t payloadBytes);
const char *formatCloudInference(char *buffer, size_t capacity, const char *label, float confidence, uint32_t latencyMs);
const char *formatCloudFailed(char *buffer, size_t capacity, const char *reason, const char *label, float confidence);
const char *formatOffloadSkipped(char *buffer, size_t capacity, const char *reason, const char *label, float confidence);

}  // namespace wand
