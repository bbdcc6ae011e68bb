// The configured service URL split into what the sketch's own connect needs (it resolves and
// connects itself so a failure can say whether DNS, TCP or TLS failed). Checked once at start.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace wand {

constexpr size_t kMaxHostLength = 63;

struct ServerUrl {
  bool https = false;
  char host[kMaxHostLength + 1] = {};
  uint16_t port = 0;
  const char *path = "/";  // points into the parsed URL
};

/** Parses http(s)://host[:port]/path; nullptr when usable, else why not. */
const char *parseServerUrl(const char *url, ServerUrl &out);

}  // namespace wand
