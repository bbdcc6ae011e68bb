// Host stub for the sketch syntax check only (see README.md).
#pragma once
#include "WiFi.h"
class WiFiClientSecure : public WiFiClient {
 public:
  void setInsecure();
  void setCACert(const char *rootCA);
  void setHandshakeTimeout(unsigned long handshake_timeout);
  int connect(IPAddress ip, uint16_t port, const char *host, const char *CA_cert, const char *cert, const char *private_key);
  int lastError(char *buf, const size_t size);
};
