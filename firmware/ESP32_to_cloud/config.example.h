// Wand configuration. Copy to config.h (git-ignored) and fill in; never commit config.h.
// Without a config.h the sketch builds with these placeholders and runs local-only.
#pragma once

// Wi-Fi network.
#define WAND_WIFI_SSID "your-wifi-name"
#define WAND_WIFI_PASSWORD "your-wifi-password"

// Full URL of the service's predict endpoint (https for Azure App Service).
#define WAND_SERVER_URL "https://your-app.azurewebsites.net/predict"

// The service's WAND_API_KEY, sent as the x-api-key header; leave empty when the service has none.
#define WAND_API_KEY ""

// Offload threshold (0..1, calibrated confidence). Leave undefined to use the model's (edge_model.h).
// #define WAND_THRESHOLD_OVERRIDE 0.80f

// HTTP: connect timeout and total deadline of one cloud request (REFERENCE 4: 3-5 s).
#define WAND_HTTP_CONNECT_TIMEOUT_MS 3000
#define WAND_HTTP_DEADLINE_MS 4000

// Circuit breaker: consecutive cloud failures before pausing offloads, first pause (doubles up to the max).
#define WAND_BREAKER_FAILURES 3
#define WAND_BREAKER_COOLDOWN_MS 10000
#define WAND_BREAKER_MAX_COOLDOWN_MS 300000

// Most offloads per minute; 0 = no budget.
#define WAND_OFFLOAD_BUDGET_PER_MINUTE 0

// A capture with less motion than this (g, RMS about the mean) is no gesture: NO_GESTURE, never offloaded.
// A still wand reads ~0.003 g; 0.03 g rejects 9 of the development pool's 3,984 recordings.
#define WAND_MIN_MOTION_G 0.03f

// Wi-Fi: first active reconnect after this long down (an association takes 2-5 s: not sooner), doubling up to the max.
#define WAND_WIFI_RETRY_MS 5000
#define WAND_WIFI_MAX_RETRY_MS 60000

// The button must have been released this long before a press starts a capture (contact bounce).
#define WAND_BUTTON_LOCKOUT_MS 200

// Pins: the capture button (active low; GPIO0 is the BOOT button) and the LED.
#define WAND_BUTTON_PIN 0
#define WAND_LED_PIN 2

// Debug only, never for a deployed wand:
// #define WAND_DEBUG_INSECURE_TLS   // skip certificate checks (e.g. a self-signed test server)
// #define WAND_DEBUG_PLAIN_HTTP     // allow http:// URLs (a service on your LAN); sends the key in clear
