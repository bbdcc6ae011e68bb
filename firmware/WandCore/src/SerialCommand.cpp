#include "SerialCommand.h"

#include <string.h>

namespace wand {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t'; }
bool isLabelChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

Command invalid(const char *why) {
  Command c;
  c.kind = Command::Kind::Invalid;
  c.error = why;
  return c;
}

}  // namespace

Command parseCommand(const char *line, size_t length) {
  size_t start = 0, end = length;
  while (start < end && isSpace(line[start])) ++start;
  while (end > start && isSpace(line[end - 1])) --end;
  Command command;
  if (start == end) return command;
  if (end - start == 1 && line[start] == 'g') {
    command.kind = Command::Kind::Gesture;
    return command;
  }
  if (line[start] != 'r' || end - start < 2 || !isSpace(line[start + 1])) return invalid("unknown command (g, or r <label>)");
  size_t from = start + 1;
  while (from < end && isSpace(line[from])) ++from;
  const size_t n = end - from;
  if (n > kMaxRecordLabel) return invalid("label longer than 32 characters");
  for (size_t i = from; i < end; ++i) {
    if (!isLabelChar(line[i])) return invalid("label may hold letters, digits, '-' and '_' only");
  }
  command.kind = Command::Kind::Record;
  memcpy(command.label, line + from, n);
  command.label[n] = '\0';
  return command;
}

bool LineReader::push(char c) {
  if (c == '\r' || c == '\n') {
    if (pending_ == 0 && !overflow_) return false;  // the second half of CRLF, or a blank line
    length_ = pending_;
    buffer_[length_] = '\0';
    overflowed_ = overflow_;
    pending_ = 0;
    overflow_ = false;
    return true;
  }
  if (pending_ < kCommandLineCapacity) {
    buffer_[pending_++] = c;
  } else {
    overflow_ = true;
  }
  return false;
}

}  // namespace wand
