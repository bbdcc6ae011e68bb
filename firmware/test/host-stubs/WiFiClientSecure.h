// Host stub for the sketch syntax check only (see README.md).
#pragma once
#include "WiFi.h"
class WiFiClientSecure : public WiFiClient {
 public:
  void setInsecure();
  void setCACert(const char *rootCA);
  void setHandshakeTimeout(unsigned long handshake_timeout);
};
