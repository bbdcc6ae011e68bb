{
  # Host build of the wand core as a Node addon, so Jest drives the C++ with the fixtures the
  # TypeScript code uses. The edge model header comes from WAND_MODEL_DIR (default: models/default).
  "variables": {
    "model_dir": "<!(node -p \"process.env.WAND_MODEL_DIR || '../../models/default'\")"
  },
  "targets": [
    {
      "target_name": "wandcore",
      "sources": [
        "addon.cc",
        "../WandCore/src/CloudExchange.cpp",
        "../WandCore/src/EdgeClassifier.cpp",
        "../WandCore/src/EdgeNetwork.cpp",
        "../WandCore/src/Features.cpp",
        "../WandCore/src/GestureFlow.cpp",
        "../WandCore/src/LogLine.cpp",
        "../WandCore/src/OffloadPolicy.cpp",
        "../WandCore/src/Payload.cpp",
        "../WandCore/src/ResponseReader.cpp",
        "../WandCore/src/ServerUrl.cpp",
        "../WandCore/src/SerialCommand.cpp",
        "../WandCore/src/Timing.cpp"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "../WandCore/src",
        "<(model_dir)"
      ],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags!": ["-fno-exceptions"]
    }
  ]
}
