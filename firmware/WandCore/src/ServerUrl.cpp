#include "ServerUrl.h"

#include <string.h>

namespace wand {

const char *parseServerUrl(const char *url, ServerUrl &out) {
  out = ServerUrl{};
  const char *rest;
  if (strncmp(url, "https://", 8) == 0) {
    out.https = true;
    out.port = 443;
    rest = url + 8;
  } else if (strncmp(url, "http://", 7) == 0) {
    out.port = 80;
    rest = url + 7;
  } else {
    return "the server URL must start with https:// (or http://)";
  }
  const char *end = rest;
  while (*end != '\0' && *end != '/' && *end != ':') ++end;
  const size_t hostLength = static_cast<size_t>(end - rest);
  if (hostLength == 0) return "the server URL has no host";
  if (hostLength > kMaxHostLength) return "the server URL's host is longer than 63 characters";
  for (const char *c = rest; c < end; ++c) {
    if (*c == '@' || *c == ' ') return "the server URL's host may not hold '@' or spaces";
  }
  memcpy(out.host, rest, hostLength);
  out.host[hostLength] = '\0';
  if (*end == ':') {
    uint32_t port = 0;
    const char *digit = end + 1;
    for (; *digit >= '0' && *digit <= '9'; ++digit) {
      port = port * 10 + static_cast<uint32_t>(*digit - '0');
      if (port > 65535) return "the server URL's port is above 65535";
    }
    if (digit == end + 1 || port == 0 || (*digit != '\0' && *digit != '/')) return "the server URL's port is not a number 1..65535";
    out.port = static_cast<uint16_t>(port);
    end = digit;
  }
  if (*end == '/') out.path = end;
  return nullptr;
}

}  // namespace wand
