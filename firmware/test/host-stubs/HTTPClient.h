// Host stub for the sketch syntax check only (see README.md).
#pragma once
#include "WiFi.h"
#define HTTPC_ERROR_CONNECTION_REFUSED (-1)
#define HTTPC_ERROR_SEND_HEADER_FAILED (-2)
#define HTTPC_ERROR_SEND_PAYLOAD_FAILED (-3)
#define HTTPC_ERROR_NOT_CONNECTED (-4)
#define HTTPC_ERROR_CONNECTION_LOST (-5)
#define HTTPC_ERROR_READ_TIMEOUT (-11)
enum t_http_codes { HTTP_CODE_OK = 200 };
class HTTPClient {
 public:
  bool begin(WiFiClient &client, String host, uint16_t port, String uri = "/", bool https = false);
  void setReuse(bool reuse);
  void end();
  void setConnectTimeout(int32_t connectTimeout);
  void setTimeout(uint16_t timeout);
  void addHeader(const String &name, const String &value, bool first = false, bool replace = true);
  int POST(uint8_t *payload, size_t size);
  int writeToStream(Stream *stream);
};
