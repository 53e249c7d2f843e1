<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>Answer</name>
    <message>
        <location filename="../../ui/screens/patient_screen.py" line="26"/>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/patient_screen.py" line="27"/>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/screens/patient_screen.py" line="28"/>
        <source>Not sure</source>
        <translation>No estoy seguro/a</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../ui/screens/consent.py" line="86"/>
        <source>Your consent</source>
        <translation>Su consentimiento</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="88"/>
        <source>Tap each statement to show you understand it. Then sign below.</source>
        <translation>Toque cada frase para indicar que la entiende. Después firme abajo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="102"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="103"/>
        <source>Clear the signature</source>
        <translation>Borrar la firma</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="110"/>
        <source>I&apos;d like to talk to someone first</source>
        <translation>Prefiero hablar antes con alguien</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="113"/>
        <source>Sign and continue ›</source>
        <translation>Firmar y continuar ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="114"/>
        <source>Sign and continue</source>
        <translation>Firmar y continuar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="117"/>
        <source>Signed on paper</source>
        <translation>Firmado en papel</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="151"/>
        <source>By signing: {0}</source>
        <translation>Al firmar: {0}</translation>
    </message>
</context>
<context>
    <name>DetailsScreen</name>
    <message>
        <location filename="../../ui/screens/details.py" line="25"/>
        <source>Your details</source>
        <translation>Sus datos</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="26"/>
        <source>First name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="27"/>
        <source>Last name</source>
        <translation>Apellidos</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="30"/>
        <source>Date of birth (month / day / year)</source>
        <translation>Fecha de nacimiento (mes / día / año)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="32"/>
        <source>MM/DD/YYYY</source>
        <translation>MM/DD/AAAA</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="36"/>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="37"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="42"/>
        <source>Please enter your first name.</source>
        <translation>Por favor, escriba su nombre.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="43"/>
        <source>Please enter your last name.</source>
        <translation>Por favor, escriba sus apellidos.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="45"/>
        <source>That name is longer than we can store. Please shorten it, or ask at the front desk.</source>
        <translation>Ese nombre es más largo de lo que podemos guardar. Acórtelo, por favor, o pregunte en la recepción.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="48"/>
        <source>Please enter your date of birth.</source>
        <translation>Por favor, escriba su fecha de nacimiento.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="50"/>
        <source>Please enter your date of birth as month / day / year, for example 04/15/1968.</source>
        <translation>Escriba su fecha de nacimiento como mes / día / año, por ejemplo 04/15/1968.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="53"/>
        <source>That date of birth is in the future. Please check it.</source>
        <translation>Esa fecha de nacimiento está en el futuro. Revísela, por favor.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/details.py" line="56"/>
        <source>Please check the year of your date of birth.</source>
        <translation>Por favor, revise el año de su fecha de nacimiento.</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <location filename="../../ui/screens/done.py" line="25"/>
        <location filename="../../ui/screens/done.py" line="64"/>
        <location filename="../../ui/screens/done.py" line="72"/>
        <source>Thank you. You are checked in.</source>
        <translation>Gracias. Su registro está completo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="29"/>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="48"/>
        <source>Thank you. Please tell the front desk you are done.</source>
        <translation>Gracias. Por favor, avise en la recepción que ha terminado.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="51"/>
        <source>Your answers are kept safely on this screen, but the front desk cannot see them yet. Please let them know you have finished.</source>
        <translation>Sus respuestas están guardadas de forma segura en esta pantalla, pero la recepción todavía no puede verlas. Por favor, avíseles que ha terminado.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="56"/>
        <source>Thank you. A team member will come to talk with you.</source>
        <translation>Gracias. Un miembro del equipo vendrá a hablar con usted.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="59"/>
        <source>You do not need to sign anything now. Please take a seat; we will be with you soon.</source>
        <translation>No necesita firmar nada ahora. Por favor, tome asiento; enseguida le atendemos.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="67"/>
        <source>A member of our team will talk with you before your treatment. Please take a seat; we will call your name.</source>
        <translation>Un miembro de nuestro equipo hablará con usted antes de su tratamiento. Por favor, tome asiento; le llamaremos por su nombre.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/done.py" line="75"/>
        <source>Please take a seat. We will call your name when it is time for your treatment.</source>
        <translation>Por favor, tome asiento. Le llamaremos por su nombre cuando sea la hora de su tratamiento.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../ui/kiosk_window.py" line="246"/>
        <location filename="../../ui/kiosk_window.py" line="260"/>
        <source>Sorry, check-in is not working right now. Please go to the front desk — we&apos;ll be glad to help.</source>
        <translation>Lo sentimos, el registro no funciona en este momento. Por favor, vaya a la recepción; con gusto le ayudamos.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="279"/>
        <source>Sorry, something went wrong — please tell the front desk.</source>
        <translation>Lo sentimos, algo salió mal. Por favor, avise en la recepción.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="284"/>
        <location filename="../../ui/kiosk_window.py" line="495"/>
        <source>OK</source>
        <translation>De acuerdo</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="389"/>
        <source>MMMM d, yyyy &apos;at&apos; h:mm AP</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy, &apos;a las&apos; h:mm AP</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="390"/>
        <source>Signed by {0} on {1}</source>
        <translation>Firmado por {0} el {1}</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="412"/>
        <source>Sorry, we could not save your check-in. Please go to the front desk — we&apos;ll be glad to help.</source>
        <translation>Lo sentimos, no pudimos guardar su registro. Por favor, vaya a la recepción; con gusto le ayudamos.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="495"/>
        <source>Please go to the front desk — we&apos;ll be glad to help.</source>
        <translation>Por favor, vaya a la recepción; con gusto le ayudamos.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="597"/>
        <source>Yes, continue</source>
        <translation>Sí, continuar</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk_window.py" line="602"/>
        <source>Are you still there?

This check-in will start over in {0} seconds to keep your answers private.</source>
        <translation>¿Sigue ahí?

Este registro volverá a empezar en {0} segundos para que sus respuestas sigan siendo privadas.</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="376"/>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="377"/>
        <source>⇧ Shift</source>
        <translation>⇧ Mayús</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="377"/>
        <source>Shift</source>
        <translation>Mayúsculas</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="378"/>
        <source>⌫</source>
        <translation>⌫</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="378"/>
        <source>Backspace</source>
        <translation>Borrar una letra</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="379"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="380"/>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="380"/>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="381"/>
        <source>áéí</source>
        <translation>áéí</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="381"/>
        <source>Accented letters</source>
        <translation>Letras con acento</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="382"/>
        <source>123</source>
        <translation>123</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="382"/>
        <source>Numbers</source>
        <translation>Números</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="386"/>
        <source>Hyphen</source>
        <translation>Guion</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="387"/>
        <source>Apostrophe</source>
        <translation>Apóstrofo</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="388"/>
        <source>Slash</source>
        <translation>Barra</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="389"/>
        <source>Left parenthesis</source>
        <translation>Abrir paréntesis</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/on_screen_keyboard.py" line="390"/>
        <source>Right parenthesis</source>
        <translation>Cerrar paréntesis</translation>
    </message>
</context>
<context>
    <name>PatientScreen</name>
    <message>
        <location filename="../../ui/screens/patient_screen.py" line="101"/>
        <source>‹ Back</source>
        <translation>‹ Atrás</translation>
    </message>
    <message>
        <location filename="../../ui/screens/patient_screen.py" line="102"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location filename="../../ui/screens/patient_screen.py" line="105"/>
        <source>Ask for help</source>
        <translation>Pedir ayuda</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <location filename="../../ui/screens/question.py" line="61"/>
        <source>Your answer</source>
        <translation>Su respuesta</translation>
    </message>
    <message>
        <location filename="../../ui/screens/question.py" line="69"/>
        <source>Thank you for telling us. A member of our team will talk with you about this before your treatment. Please go on with your check-in.</source>
        <translation>Gracias por decírnoslo. Un miembro de nuestro equipo hablará con usted sobre esto antes de su tratamiento. Por favor, siga con su registro.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/question.py" line="76"/>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/question.py" line="77"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/question.py" line="88"/>
        <source>Question {0} of {1}</source>
        <translation>Pregunta {0} de {1}</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../ui/screens/review.py" line="24"/>
        <source>Please check your answers</source>
        <translation>Por favor, revise sus respuestas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="35"/>
        <source>I confirm these answers are correct</source>
        <translation>Confirmo que estas respuestas son correctas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="47"/>
        <source>Change</source>
        <translation>Cambiar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="48"/>
        <source>Change the answer to: {0}</source>
        <translation>Cambiar la respuesta a: {0}</translation>
    </message>
</context>
<context>
    <name>RideHomeScreen</name>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="27"/>
        <source>Who is taking you home today?</source>
        <translation>¿Quién le llevará a casa hoy?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="30"/>
        <source>You must not drive for the rest of the day. Please tell us who will take you home.</source>
        <translation>No debe conducir durante el resto del día. Por favor, díganos quién le llevará a casa.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="35"/>
        <source>Their name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="37"/>
        <source>Their phone number</source>
        <translation>Su número de teléfono</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="41"/>
        <source>How you know them</source>
        <translation>Qué relación tiene con usted</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="43"/>
        <source>for example: husband, friend</source>
        <translation>por ejemplo: esposo, amiga</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="47"/>
        <source>I don&apos;t have a ride yet</source>
        <translation>Todavía no tengo quién me lleve</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="49"/>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="50"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="56"/>
        <source>Please enter the name of who is taking you home.</source>
        <translation>Por favor, escriba el nombre de quien le llevará a casa.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="58"/>
        <source>Please enter their phone number.</source>
        <translation>Por favor, escriba su número de teléfono.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="60"/>
        <source>Please check the phone number: it should have 7 to 15 digits.</source>
        <translation>Por favor, revise el número de teléfono: debe tener de 7 a 15 cifras.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/ride_home.py" line="62"/>
        <source>Please tell us how you know them.</source>
        <translation>Por favor, díganos qué relación tiene con usted.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../ui/widgets/signature_pad.py" line="57"/>
        <source>Signature pad: draw your signature with your finger</source>
        <translation>Área de firma: dibuje su firma con el dedo</translation>
    </message>
</context>
<context>
    <name>SlideScreen</name>
    <message>
        <location filename="../../ui/screens/slide.py" line="57"/>
        <source>Next ›</source>
        <translation>Siguiente ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/slide.py" line="58"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <location filename="../../ui/screens/slide.py" line="75"/>
        <source>{0} of {1}</source>
        <translation>{0} de {1}</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/screens/welcome.py" line="59"/>
        <source>Welcome. Please check in here before your treatment. It takes about 5–10 minutes: a few short pages about the treatment, some questions, your consent, and who will take you home.</source>
        <translation>Bienvenido/a. Por favor, regístrese aquí antes de su tratamiento. Tarda unos 5 a 10 minutos: unas páginas cortas sobre el tratamiento, algunas preguntas, su consentimiento y quién le llevará a casa.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="64"/>
        <source>Start</source>
        <translation>Empezar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="67"/>
        <source>Check-in at this screen is paused for a moment. Please see the front desk — we&apos;ll check you in there.</source>
        <translation>El registro en esta pantalla está en pausa por un momento. Por favor, vaya a la recepción; allí le registramos.</translation>
    </message>
</context>
</TS>
