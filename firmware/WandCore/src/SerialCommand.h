// Commands typed on the wand's serial line, one per line:
//   g            capture and classify a gesture (as the button does)
//   r <label>    record mode: capture exactly as the lab's data collection and print it (LogLine.h)
// The sketch collects characters into a bounded line; this decides what the line asks for.
#pragma once

#include <stddef.h>

namespace wand {

/** Longest label a recording may carry (a folder and file name part: letters, digits, '-', '_'). */
constexpr size_t kMaxRecordLabel = 32;
/** Longest command line kept; longer lines are refused as a whole. */
constexpr size_t kCommandLineCapacity = 48;

struct Command {
  enum class Kind { None, Gesture, Record, Invalid } kind = Kind::None;
  char label[kMaxRecordLabel + 1] = {};  // Record: the label
  const char *error = nullptr;           // Invalid: why, for the serial reply
};

/** Parses one line (without its line ending; surrounding spaces ignored). An empty line is None. */
Command parseCommand(const char *line, size_t length);

/** Collects serial characters into lines: push() returns true when `line()` holds a complete one. */
class LineReader {
 public:
  bool push(char c);
  const char *line() const { return buffer_; }
  size_t length() const { return length_; }
  /** The completed line was longer than kCommandLineCapacity (its start is in line()). */
  bool overflowed() const { return overflowed_; }

 private:
  char buffer_[kCommandLineCapacity + 1] = {};
  size_t length_ = 0;
  size_t pending_ = 0;
  bool overflow_ = false;
  bool overflowed_ = false;
};

}  // namespace wand
