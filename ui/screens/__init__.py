"""The patient's screens: one module and one class each; they show state and emit intents."""
