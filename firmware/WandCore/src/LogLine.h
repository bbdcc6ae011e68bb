// Serial log lines in the lab's format (students photograph them as their deliverable):
//   LOCAL_INFERENCE: V (92.3%) latency=12ms
//   OFFLOAD_TO_CLOUD: local V (61.0%) below 80.0%, sending 1622 bytes
//   CLOUD_INFERENCE: O (97.1%) latency=234ms
//   CLOUD_FAILED: timeout -> using local V (61.0%)
//   OFFLOAD_SKIPPED: breaker open -> using local V (61.0%)
// and the wandcloud additions:
//   NO_GESTURE: motion 0.004 g below 0.030 g
//   CLOUD_UNUSABLE: cloud answered "S" (99.0%), not a label of this wand -> using local V (61.0%)
//   MODEL_MISMATCH: cloud serves wand-b 2, this wand has wand-a 1
// and the record mode's capture (REFERENCE 1.1 rows, the lab's CSV):
//   CAPTURE_BEGIN O 101
//   0,-3.57,1.48,-16.06
//   CAPTURE_END
// Each writes at most `capacity` bytes including the NUL (longer lines are cut) and returns `buffer`.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace wand {

/** Enough for every line with labels and reasons of sane length. */
constexpr size_t kLogLineCapacity = 160;

/** Milliseconds between two rows' synthetic timestamps in a printed capture (the lab's i*10). */
constexpr uint32_t kCaptureRowPeriodMs = 10;

const char *formatLocalInference(char *buffer, size_t capacity, const char *label, float confidence, uint32_t latencyMs);
const char *formatOffload(char *buffer, size_t capacity, const char *label, float confidence, float threshold, size_t payloadBytes);
const char *formatCloudInference(char *buffer, size_t capacity, const char *label, float confidence, uint32_t latencyMs);
const char *formatCloudFailed(char *buffer, size_t capacity, const char *reason, const char *label, float confidence);
const char *formatOffloadSkipped(char *buffer, size_t capacity, const char *reason, const char *label, float confidence);
const char *formatNoGesture(char *buffer, size_t capacity, float motionG, float minMotionG);
const char *formatCloudUnusable(char *buffer, size_t capacity, const char *cloudLabel, float cloudConfidence, const char *label, float confidence);
const char *formatModelMismatch(char *buffer, size_t capacity, const char *cloudModel, const char *cloudVersion, const char *model, const char *version);

const char *formatCaptureBegin(char *buffer, size_t capacity, const char *label, size_t samples);
/** Row `index` of a capture: `index * kCaptureRowPeriodMs,x,y,z` with two decimals, as the lab writes them. */
const char *formatCaptureRow(char *buffer, size_t capacity, size_t index, const float *sample);
constexpr const char *kCaptureEnd = "CAPTURE_END";

}  // namespace wand
