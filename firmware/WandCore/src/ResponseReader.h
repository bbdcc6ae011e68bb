// Reads the cloud's answer, {"gesture": "<label>", "confidence": <0-100>} (REFERENCE 1.2), from a
// body that may be anything a network can deliver: truncated, malformed, hostile. Other keys are
// allowed and skipped. A strict, bounded JSON scanner rather than a JSON library: the body is
// read in place, nothing is allocated, and the same code is tested on the host.
#pragma once

#include <stddef.h>

namespace wand {

enum class ResponseError {
  None,
  Empty,
  Malformed,           // not one JSON object (syntax error, truncated body, trailing bytes, too deep)
  DuplicateKey,        // "gesture" or "confidence" twice: ambiguous
  MissingGesture,
  MissingConfidence,
  GestureNotString,
  ConfidenceNotNumber,
  UnknownLabel,        // not one of the edge model's labels (compared case-insensitively)
  ConfidenceOutOfRange // not within 0..100 percent
};

/** Short text for an error, for log lines. */
const char *responseErrorName(ResponseError error);

/** Bytes kept of the cloud's label, model name and version (longer text is cut). */
constexpr size_t kCloudTextBytes = 48;

struct CloudAnswer {
  int label = -1;  // index into the edge model's labels
  float confidence = 0.0f;  // 0..1
  /** The label as the cloud wrote it, also on UnknownLabel (so the log can say what it was). */
  char gesture[kCloudTextBytes] = {};
  /** The optional "model" and "version" strings of the answer; empty when absent. */
  char model[kCloudTextBytes] = {};
  char version[kCloudTextBytes] = {};
};

/**
 * Parses `length` bytes of `body` (no NUL needed). Never reads past `length`. On UnknownLabel,
 * `out` still holds the cloud's gesture, confidence, model and version.
 */
ResponseError readResponse(const char *body, size_t length, const char *const *labels, size_t numLabels, CloudAnswer &out);

}  // namespace wand
