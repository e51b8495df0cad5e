"""Audio sources: devices, stereo taps, WAV replay. Each yields 16-bit mono frames per speaker."""
