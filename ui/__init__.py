"""The Qt layer: windows, screens and widgets that show the domain's state and forward taps."""
