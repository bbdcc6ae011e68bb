#include "ResponseReader.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

namespace wand {
namespace {

constexpr int kMaxDepth = 16;           // deeper extra values are refused rather than recursed into
constexpr size_t kMaxNumberLength = 32;

class Scanner {
 public:
  Scanner(const char *p, size_t n) : p_(p), end_(p + n) {}

  void skipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool atEnd() const { return p_ >= end_; }
  bool take(char c) {
    skipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  char peek() {
    skipSpace();
    return p_ < end_ ? *p_ : '\0';
  }

  /**
   * Reads a JSON string. Its decoded text goes to `out` (NUL-terminated) when it fits `cap`;
   * `fits` says whether it did. \u escapes outside ASCII (and \u0000) decode to '?' (no label contains them).
   */
  bool string(char *out, size_t cap, bool &fits) {
    if (!take('"')) return false;
    size_t n = 0;
    fits = true;
    while (p_ < end_) {
      char c = *p_++;
      if (c == '"') {
        if (out != nullptr && cap > 0) out[n < cap ? n : cap - 1] = '\0';
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (p_ >= end_) return false;
        const char e = *p_++;
        switch (e) {
          case '"': case '\\': case '/': c = e; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case 'u': {
            unsigned code = 0;
            for (int i = 0; i < 4; ++i) {
              if (p_ >= end_) return false;
              const char h = *p_++;
              const unsigned d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : 16;
              if (d > 15) return false;
              code = code * 16 + d;
            }
            c = (code > 0 && code < 0x80) ? static_cast<char>(code) : '?';
            break;
          }
          default:
            return false;
        }
      }
      if (out != nullptr && n + 1 < cap) {
        // Control characters never reach a log line: a hostile label cannot forge a serial line.
        out[n] = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
      } else {
        fits = false;
      }
      ++n;
    }
    return false;  // truncated inside the string
  }

  /** Reads a JSON number (strict grammar) into `value`. */
  bool number(double &value) {
    skipSpace();
    const char *start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ >= end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    const size_t len = static_cast<size_t>(p_ - start);
    if (len >= kMaxNumberLength) {
      value = NAN;  // valid JSON, but more digits than any confidence needs: reported as out of range
      return true;
    }
    char text[kMaxNumberLength];
    memcpy(text, start, len);
    text[len] = '\0';
    value = strtod(text, nullptr);
    return true;
  }

  bool literal(const char *word) {
    skipSpace();
    const size_t n = strlen(word);
    if (static_cast<size_t>(end_ - p_) < n || memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  /** Skips any JSON value, refusing nesting deeper than kMaxDepth. */
  bool skipValue(int depth) {
    if (depth > kMaxDepth) return false;
    bool fits;
    double ignored;
    switch (peek()) {
      case '"':
        return string(nullptr, 0, fits);
      case '{':
        return container('}', depth, true);
      case '[':
        return container(']', depth, false);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number(ignored);
    }
  }

 private:
  bool digits() {
    const char *start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  }

  bool container(char close, int depth, bool object) {
    ++p_;  // the opening bracket, already peeked
    if (take(close)) return true;
    do {
      bool fits;
      if (object && (!string(nullptr, 0, fits) || !take(':'))) return false;
      if (!skipValue(depth + 1)) return false;
    } while (take(','));
    return take(close);
  }

  const char *p_;
  const char *end_;
};

bool sameLabel(const char *a, const char *b) {
  for (; *a != '\0' && *b != '\0'; ++a, ++b) {
    const char x = (*a >= 'A' && *a <= 'Z') ? static_cast<char>(*a + 32) : *a;
    const char y = (*b >= 'A' && *b <= 'Z') ? static_cast<char>(*b + 32) : *b;
    if (x != y) return false;
  }
  return *a == *b;
}

}  // namespace

const char *responseErrorName(ResponseError error) {
  switch (error) {
    case ResponseError::None: return "ok";
    case ResponseError::Empty: return "empty response";
    case ResponseError::Malformed: return "malformed response";
    case ResponseError::DuplicateKey: return "duplicate key in response";
    case ResponseError::MissingGesture: return "no gesture in response";
    case ResponseError::MissingConfidence: return "no confidence in response";
    case ResponseError::GestureNotString: return "gesture is not a string";
    case ResponseError::ConfidenceNotNumber: return "confidence is not a number";
    case ResponseError::UnknownLabel: return "unknown label";
    case ResponseError::ConfidenceOutOfRange: return "confidence out of range";
  }
  return "?";
}

ResponseError readResponse(const char *body, size_t length, const char *const *labels, size_t numLabels, CloudAnswer &out) {
  Scanner s(body, body == nullptr ? 0 : length);
  s.skipSpace();
  if (s.atEnd()) return ResponseError::Empty;
  if (!s.take('{')) return ResponseError::Malformed;

  out = CloudAnswer{};
  bool gestureFits = false;
  bool haveGesture = false, haveConfidence = false;
  ResponseError typeError = ResponseError::None;
  double confidence = 0.0;
  if (!s.take('}')) {
    do {
      char key[16];
      bool keyFits;
      if (!s.string(key, sizeof key, keyFits) || !s.take(':')) return ResponseError::Malformed;
      const bool isGesture = keyFits && strcmp(key, "gesture") == 0;
      const bool isConfidence = keyFits && strcmp(key, "confidence") == 0;
      char *info = !keyFits ? nullptr : strcmp(key, "model") == 0 ? out.model : strcmp(key, "version") == 0 ? out.version : nullptr;
      if ((isGesture && haveGesture) || (isConfidence && haveConfidence)) return ResponseError::DuplicateKey;
      if (isGesture && s.peek() == '"') {
        if (!s.string(out.gesture, sizeof out.gesture, gestureFits)) return ResponseError::Malformed;
        haveGesture = true;
      } else if (info != nullptr && s.peek() == '"') {
        bool fits;  // a cut name is still worth logging
        if (!s.string(info, kCloudTextBytes, fits)) return ResponseError::Malformed;
      } else if (isConfidence && (s.peek() == '-' || (s.peek() >= '0' && s.peek() <= '9'))) {
        if (!s.number(confidence)) return ResponseError::Malformed;
        haveConfidence = true;
      } else {
        if (!s.skipValue(1)) return ResponseError::Malformed;
        if (isGesture) { haveGesture = true; typeError = ResponseError::GestureNotString; }
        if (isConfidence) { haveConfidence = true; typeError = ResponseError::ConfidenceNotNumber; }
      }
    } while (s.take(','));
    if (!s.take('}')) return ResponseError::Malformed;
  }
  s.skipSpace();
  if (!s.atEnd()) return ResponseError::Malformed;

  if (!haveGesture) return ResponseError::MissingGesture;
  if (!haveConfidence) return ResponseError::MissingConfidence;
  if (typeError != ResponseError::None) return typeError;
  if (!(confidence >= 0.0 && confidence <= 100.0)) return ResponseError::ConfidenceOutOfRange;
  out.confidence = static_cast<float>(confidence / 100.0);
  for (size_t i = 0; gestureFits && i < numLabels; ++i) {
    if (sameLabel(out.gesture, labels[i])) out.label = static_cast<int>(i);
  }
  return out.label < 0 ? ResponseError::UnknownLabel : ResponseError::None;
}

}  // namespace wand
