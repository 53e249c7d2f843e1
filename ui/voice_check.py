"""Whether the system's voice works, found out in a process of its own.

    python -m ui.voice_check [ENGINE]

Says one word at no volume through Qt's text to speech and exits with 0 once the voice
has finished it, 1 if the engine reports an error. A voice with no sound output never
finishes, and a speech server stuck on an earlier request never even answers the
connection; either way this process is what waits, and the kiosk ends it (ui.read_aloud).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication


def main(arguments: list[str]) -> int:
    app = QCoreApplication(arguments)
    from PySide6.QtTextToSpeech import QTextToSpeech

    engine = arguments[1] if len(arguments) > 1 else ""
    speech = QTextToSpeech(engine) if engine else QTextToSpeech()
    if speech.state() == QTextToSpeech.State.Error:
        return 1
    begun = []

    def state_changed(state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Speaking:
            begun.append(True)
        elif state == QTextToSpeech.State.Error:
            app.exit(1)
        elif begun:
            app.exit(0)

    speech.stateChanged.connect(state_changed)
    speech.setVolume(0.0)
    speech.say("OK.")
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
