<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>Answer</name>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>No estoy seguro/a</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <source>Your consent</source>
        <translation>Su consentimiento</translation>
    </message>
    <message>
        <source>Tap each statement to show you understand it. Then sign below.</source>
        <translation>Toque cada frase para indicar que la entiende. Después firme abajo.</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Clear the signature</source>
        <translation>Borrar la firma</translation>
    </message>
    <message>
        <source>I&apos;d like to talk to someone first</source>
        <translation>Prefiero hablar antes con alguien</translation>
    </message>
    <message>
        <source>Stops here without signing; a team member will talk with you first.</source>
        <translation>Se detiene aquí sin firmar; un miembro del equipo hablará primero con usted.</translation>
    </message>
    <message>
        <source>Sign and continue ›</source>
        <translation>Firmar y continuar ›</translation>
    </message>
    <message>
        <source>Gives your consent with this signature and goes on to the next page.</source>
        <translation>Da su consentimiento con esta firma y pasa a la página siguiente.</translation>
    </message>
    <message>
        <source>Sign and continue</source>
        <translation>Firmar y continuar</translation>
    </message>
    <message>
        <source>Signed on paper</source>
        <translation>Firmado en papel</translation>
    </message>
    <message>
        <source>Records that the patient signed the consent on paper.</source>
        <translation>Registra que el paciente firmó el consentimiento en papel.</translation>
    </message>
    <message>
        <source>Please type your first and last name.</source>
        <translation>Por favor, escriba su nombre y su apellido.</translation>
    </message>
    <message>
        <source>That is not the name you entered at the start. Please type your first and last name as you entered them, or ask at the front desk.</source>
        <translation>Ese no es el nombre que escribió al principio. Por favor, escriba su nombre y su apellido tal como los escribió, o pregunte en la recepción.</translation>
    </message>
    <message>
        <source>Wipes the signature so you can sign again.</source>
        <translation>Borra la firma para que pueda firmar de nuevo.</translation>
    </message>
    <message>
        <source>If you cannot sign on the screen, please ask at the front desk — we will help you sign another way.</source>
        <translation>Si no puede firmar en la pantalla, por favor pregunte en la recepción; le ayudaremos a firmar de otra manera.</translation>
    </message>
    <message>
        <source>Help me sign</source>
        <translation>Ayuda para firmar</translation>
    </message>
    <message>
        <source>If you cannot sign on the screen, please ask at the front desk: “Help me sign” is just below.</source>
        <translation>Si no puede firmar en la pantalla, por favor pregunte en la recepción: «Ayuda para firmar» está justo debajo.</translation>
    </message>
    <message>
        <source>Tells you where to find someone who can help you sign.</source>
        <translation>Le indica dónde encontrar a alguien que le ayude a firmar.</translation>
    </message>
    <message>
        <source>Ask the front desk for help with signing</source>
        <translation>Pedir ayuda a la recepción para firmar</translation>
    </message>
    <message>
        <source>By signing: {0}</source>
        <translation>Al firmar: {0}</translation>
    </message>
    <message>
        <source>Sign with my finger instead</source>
        <translation>Firmar con el dedo</translation>
    </message>
    <message>
        <source>Sign by typing my name instead</source>
        <translation>Firmar escribiendo mi nombre</translation>
    </message>
    <message>
        <source>Shows the box to sign with your finger again.</source>
        <translation>Vuelve a mostrar el recuadro para firmar con el dedo.</translation>
    </message>
    <message>
        <source>Lets you type your full name as your signature, instead of drawing it.</source>
        <translation>Le permite escribir su nombre completo como firma, en lugar de dibujarla.</translation>
    </message>
    <message>
        <source>If you cannot sign on the screen, choose “Sign by typing my name instead”, just below.</source>
        <translation>Si no puede firmar en la pantalla, elija «Firmar escribiendo mi nombre», justo debajo.</translation>
    </message>
</context>
<context>
    <name>DetailsScreen</name>
    <message>
        <source>Your details</source>
        <translation>Sus datos</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Apellidos</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Type the day of the month you were born, for example 5, with the number keys below.</source>
        <translation>Escriba el día del mes en que nació, por ejemplo 5, con las teclas de números de abajo.</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mes</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Año</translation>
    </message>
    <message>
        <source>for example 1968</source>
        <translation>por ejemplo 1968</translation>
    </message>
    <message>
        <source>Type the year you were born, all four digits.</source>
        <translation>Escriba el año en que nació, con sus cuatro cifras.</translation>
    </message>
    <message>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <source>Goes on to the next page.</source>
        <translation>Pasa a la página siguiente.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Please enter your first name.</source>
        <translation>Por favor, escriba su nombre.</translation>
    </message>
    <message>
        <source>Please enter your last name.</source>
        <translation>Por favor, escriba sus apellidos.</translation>
    </message>
    <message>
        <source>That name is longer than we can store. Please shorten it, or ask at the front desk.</source>
        <translation>Ese nombre es más largo de lo que podemos guardar. Acórtelo, por favor, o pregunte en la recepción.</translation>
    </message>
    <message>
        <source>Please enter your date of birth.</source>
        <translation>Por favor, escriba su fecha de nacimiento.</translation>
    </message>
    <message>
        <source>Please choose the month you were born.</source>
        <translation>Por favor elija el mes en que nació.</translation>
    </message>
    <message>
        <source>Please check your date of birth: the day is a number from 1 to 31, and the year has four digits, for example 1968.</source>
        <translation>Por favor revise su fecha de nacimiento: el día es un número del 1 al 31 y el año tiene cuatro cifras, por ejemplo 1968.</translation>
    </message>
    <message>
        <source>MMMM d, yyyy</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy</translation>
    </message>
    <message>
        <source>Your date of birth: {0}</source>
        <translation>Su fecha de nacimiento: {0}</translation>
    </message>
    <message>
        <source>That date of birth is in the future. Please check it.</source>
        <translation>Esa fecha de nacimiento está en el futuro. Revísela, por favor.</translation>
    </message>
    <message>
        <source>Please check the year of your date of birth.</source>
        <translation>Por favor, revise el año de su fecha de nacimiento.</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>Thank you. You are checked in.</source>
        <translation>Gracias. Su registro está completo.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <source>Ends your check-in and clears the screen for the next person.</source>
        <translation>Termina su registro y deja la pantalla lista para la siguiente persona.</translation>
    </message>
    <message>
        <source>Thank you. Saving your answers…</source>
        <translation>Gracias. Guardando sus respuestas…</translation>
    </message>
    <message>
        <source>This takes a moment. Please stay with the screen.</source>
        <translation>Solo tomará un momento. Por favor, quédese frente a la pantalla.</translation>
    </message>
    <message>
        <source>Thank you. Please tell the front desk you are done.</source>
        <translation>Gracias. Por favor, avise en la recepción que ha terminado.</translation>
    </message>
    <message>
        <source>Your answers are kept safely on this screen, but the front desk cannot see them yet. Please let them know you have finished.</source>
        <translation>Sus respuestas están guardadas de forma segura en esta pantalla, pero la recepción todavía no puede verlas. Por favor, avíseles que ha terminado.</translation>
    </message>
    <message>
        <source>Thank you. A team member will come to talk with you.</source>
        <translation>Gracias. Un miembro del equipo vendrá a hablar con usted.</translation>
    </message>
    <message>
        <source>You do not need to sign anything now. Please take a seat; we will be with you soon.</source>
        <translation>No necesita firmar nada ahora. Por favor, tome asiento; enseguida le atendemos.</translation>
    </message>
    <message>
        <source>A member of our team will talk with you before your treatment. Please take a seat; we will call your name.</source>
        <translation>Un miembro de nuestro equipo hablará con usted antes de su tratamiento. Por favor, tome asiento; le llamaremos por su nombre.</translation>
    </message>
    <message>
        <source>Please take a seat. We will call your name when it is time for your treatment.</source>
        <translation>Por favor, tome asiento. Le llamaremos por su nombre cuando sea la hora de su tratamiento.</translation>
    </message>
</context>
<context>
    <name>HelpRequestNotice</name>
    <message>
        <source>Someone from the front desk has been told and will come to you. You can go on where you were.</source>
        <translation>Ya avisamos a alguien de la recepción y vendrá a atenderle. Puede seguir donde estaba.</translation>
    </message>
    <message>
        <source>We are letting the front desk know that you would like help…</source>
        <translation>Estamos avisando a la recepción de que desea ayuda…</translation>
    </message>
    <message>
        <source>Please go to the front desk — we&apos;ll be glad to help.</source>
        <translation>Por favor, vaya a la recepción; con gusto le ayudamos.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>De acuerdo</translation>
    </message>
</context>
<context>
    <name>KeyboardForm</name>
    <message>
        <source>Type with the keyboard on the screen, below this box.</source>
        <translation>Escriba con el teclado de la pantalla, debajo de este recuadro.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Sorry, check-in is not working right now. Please go to the front desk — we&apos;ll be glad to help.</source>
        <translation>Lo sentimos, el registro no funciona en este momento. Por favor, vaya a la recepción; con gusto le ayudamos.</translation>
    </message>
    <message>
        <source>Sorry, something went wrong — please tell the front desk.</source>
        <translation>Lo sentimos, algo salió mal. Por favor, avise en la recepción.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>De acuerdo</translation>
    </message>
    <message>
        <source>Closes this message; check-in starts again from the beginning.</source>
        <translation>Cierra este mensaje; el registro vuelve a empezar desde el principio.</translation>
    </message>
    <message>
        <source>MMMM d, yyyy &apos;at&apos; h:mm AP</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy, &apos;a las&apos; h:mm AP</translation>
    </message>
    <message>
        <source>Signed by {0} on {1}</source>
        <translation>Firmado por {0} el {1}</translation>
    </message>
    <message>
        <source>Sorry, we could not save your check-in. Please go to the front desk — we&apos;ll be glad to help.</source>
        <translation>Lo sentimos, no pudimos guardar su registro. Por favor, vaya a la recepción; con gusto le ayudamos.</translation>
    </message>
    <message>
        <source>Sorry, the voice is not working right now. You can read the words on the screen, or ask at the front desk for someone to read them with you.</source>
        <translation>Lo sentimos, la voz no funciona en este momento. Puede leer las palabras en la pantalla o pedir en la recepción que alguien las lea con usted.</translation>
    </message>
    <message>
        <source>Yes, continue</source>
        <translation>Sí, continuar</translation>
    </message>
    <message>
        <source>I need more time</source>
        <translation>Necesito más tiempo</translation>
    </message>
    <message>
        <source>Goes back to where you were.</source>
        <translation>Vuelve a donde estaba.</translation>
    </message>
    <message>
        <source>Goes back to where you were, and waits much longer before asking again.</source>
        <translation>Vuelve a donde estaba y espera mucho más antes de volver a preguntar.</translation>
    </message>
    <message>
        <source>Are you still there?

This check-in will start over in {0} seconds to keep your answers private.</source>
        <translation>¿Sigue ahí?

Este registro volverá a empezar en {0} segundos para que sus respuestas sigan siendo privadas.</translation>
    </message>
</context>
<context>
    <name>MonthPicker</name>
    <message>
        <source>Chooses the month you were born in.</source>
        <translation>Elige el mes en que nació.</translation>
    </message>
</context>
<context>
    <name>NoticeOverlay</name>
    <message>
        <source>Closes this message.</source>
        <translation>Cierra este mensaje.</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <source>⇧ Shift</source>
        <translation>⇧ Mayús</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Mayúsculas</translation>
    </message>
    <message>
        <source>⌫</source>
        <translation>⌫</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Borrar una letra</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <source>áéí</source>
        <translation>áéí</translation>
    </message>
    <message>
        <source>Accented letters</source>
        <translation>Letras con acento</translation>
    </message>
    <message>
        <source>123</source>
        <translation>123</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>Números</translation>
    </message>
    <message>
        <source>Hyphen</source>
        <translation>Guion</translation>
    </message>
    <message>
        <source>Apostrophe</source>
        <translation>Apóstrofo</translation>
    </message>
    <message>
        <source>Slash</source>
        <translation>Barra</translation>
    </message>
    <message>
        <source>Left parenthesis</source>
        <translation>Abrir paréntesis</translation>
    </message>
    <message>
        <source>Right parenthesis</source>
        <translation>Cerrar paréntesis</translation>
    </message>
    <message>
        <source>Types this letter in the box.</source>
        <translation>Escribe esta letra en el recuadro.</translation>
    </message>
    <message>
        <source>Shows this letter with each of its accents.</source>
        <translation>Muestra esta letra con cada uno de sus acentos.</translation>
    </message>
    <message>
        <source>Types this in the box.</source>
        <translation>Escribe esto en el recuadro.</translation>
    </message>
    <message>
        <source>Types a space in the box.</source>
        <translation>Escribe un espacio en el recuadro.</translation>
    </message>
    <message>
        <source>Switches between capital and small letters.</source>
        <translation>Cambia entre mayúsculas y minúsculas.</translation>
    </message>
    <message>
        <source>Deletes the letter before the cursor. Hold it down to delete more.</source>
        <translation>Borra la letra antes del cursor. Mantenga pulsada esta tecla para borrar más.</translation>
    </message>
    <message>
        <source>Deletes everything typed in this box.</source>
        <translation>Borra todo lo escrito en este recuadro.</translation>
    </message>
    <message>
        <source>Shows the letter keys.</source>
        <translation>Muestra las teclas de letras.</translation>
    </message>
    <message>
        <source>Shows letters with accents, such as á, é and ñ.</source>
        <translation>Muestra letras con tilde, como á, é y ñ.</translation>
    </message>
    <message>
        <source>Shows the number keys.</source>
        <translation>Muestra las teclas de números.</translation>
    </message>
    <message>
        <source>Tap a letter to see it with its accents</source>
        <translation>Toque una letra para verla con sus acentos</translation>
    </message>
    <message>
        <source>Tap the letter you need</source>
        <translation>Toque la letra que necesita</translation>
    </message>
</context>
<context>
    <name>PatientScreen</name>
    <message>
        <source>Larger text</source>
        <translation>Letra más grande</translation>
    </message>
    <message>
        <source>Makes the words bigger. Tap again for bigger still, and once more for the usual size.</source>
        <translation>Agranda las letras. Tóquelo otra vez para agrandarlas más, y una vez más para volver al tamaño normal.</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
    <message>
        <source>Shows white and yellow words on black, which some people find easier to read. Tap again for the usual colors.</source>
        <translation>Muestra letras blancas y amarillas sobre fondo negro, que a algunas personas les resultan más fáciles de leer. Tóquelo otra vez para volver a los colores normales.</translation>
    </message>
    <message>
        <source>‹ Back</source>
        <translation>‹ Atrás</translation>
    </message>
    <message>
        <source>Goes back to the page before.</source>
        <translation>Vuelve a la página anterior.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Ask for help</source>
        <translation>Pedir ayuda</translation>
    </message>
    <message>
        <source>Tells you where to find someone who can help you.</source>
        <translation>Le indica dónde encontrar a alguien que le ayude.</translation>
    </message>
    <message>
        <source>■ Stop reading</source>
        <translation>■ Dejar de leer</translation>
    </message>
    <message>
        <source>▶ Read to me</source>
        <translation>▶ Léamelo</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>Dejar de leer</translation>
    </message>
    <message>
        <source>Read to me</source>
        <translation>Léamelo</translation>
    </message>
    <message>
        <source>Stops the voice reading this page.</source>
        <translation>Detiene la voz que lee esta página.</translation>
    </message>
    <message>
        <source>Reads the words on this page out loud.</source>
        <translation>Lee en voz alta lo que dice esta página.</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <source>Chooses this answer.</source>
        <translation>Elige esta respuesta.</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Su respuesta</translation>
    </message>
    <message>
        <source>Thank you for telling us. A member of our team will talk with you about this before your treatment. Please go on with your check-in.</source>
        <translation>Gracias por decírnoslo. Un miembro de nuestro equipo hablará con usted sobre esto antes de su tratamiento. Por favor, siga con su registro.</translation>
    </message>
    <message>
        <source>So that only you hear it, this question is not read aloud. You can read it on the screen, or a member of our team can go through it with you.</source>
        <translation>Para que solo usted la escuche, esta pregunta no se lee en voz alta. Puede leerla en la pantalla, o un miembro de nuestro equipo puede repasarla con usted.</translation>
    </message>
    <message>
        <source>Ask a team member to go through it with me</source>
        <translation>Pedir que un miembro del equipo la repase conmigo</translation>
    </message>
    <message>
        <source>Lets the front desk know; someone comes to you.</source>
        <translation>Avisa a la recepción; alguien vendrá a atenderle.</translation>
    </message>
    <message>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <source>Goes on to the next page.</source>
        <translation>Pasa a la página siguiente.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Question {0} of {1}</source>
        <translation>Pregunta {0} de {1}</translation>
    </message>
</context>
<context>
    <name>ReminderScreen</name>
    <message>
        <source>Welcome back</source>
        <translation>Bienvenido/a de nuevo</translation>
    </message>
    <message>
        <source>You have read the information about your treatment before, and nothing in it has changed. As a reminder, it covered:</source>
        <translation>Usted ya leyó la información sobre su tratamiento, y no ha cambiado nada. Como recordatorio, trataba de:</translation>
    </message>
    <message>
        <source>Please remember: you must not drive for the rest of the day. If anything about your health has changed, tell us in the questions that follow.</source>
        <translation>Recuerde: no debe manejar durante el resto del día. Si algo de su salud ha cambiado, díganoslo en las preguntas que siguen.</translation>
    </message>
    <message>
        <source>Show me the information again</source>
        <translation>Mostrarme la información otra vez</translation>
    </message>
    <message>
        <source>Shows every page of the information, one at a time.</source>
        <translation>Muestra todas las páginas de la información, una por una.</translation>
    </message>
    <message>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <source>Goes on to the questions.</source>
        <translation>Pasa a las preguntas.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Please check your answers</source>
        <translation>Por favor, revise sus respuestas</translation>
    </message>
    <message>
        <source>I confirm these answers are correct</source>
        <translation>Confirmo mis respuestas</translation>
    </message>
    <message>
        <source>Keeps these answers and goes on to the consent page.</source>
        <translation>Guarda estas respuestas y pasa a la página del consentimiento.</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Cambiar</translation>
    </message>
    <message>
        <source>Goes back to this question so you can change your answer.</source>
        <translation>Vuelve a esta pregunta para que pueda cambiar su respuesta.</translation>
    </message>
    <message>
        <source>Change the answer to: {0}</source>
        <translation>Cambiar la respuesta a: {0}</translation>
    </message>
</context>
<context>
    <name>RideHomeScreen</name>
    <message>
        <source>Who is taking you home today?</source>
        <translation>¿Quién le llevará a casa hoy?</translation>
    </message>
    <message>
        <source>You must not drive for the rest of the day. Please tell us who will take you home.</source>
        <translation>No debe conducir durante el resto del día. Por favor, díganos quién le llevará a casa.</translation>
    </message>
    <message>
        <source>Their name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <source>Their phone number</source>
        <translation>Su número de teléfono</translation>
    </message>
    <message>
        <source>Type their phone number with the number keys below this box.</source>
        <translation>Escriba el número de teléfono de esa persona con las teclas de números debajo de este recuadro.</translation>
    </message>
    <message>
        <source>How you know them</source>
        <translation>Qué relación tiene con usted</translation>
    </message>
    <message>
        <source>for example: husband, friend</source>
        <translation>por ejemplo: esposo, amiga</translation>
    </message>
    <message>
        <source>I don&apos;t have a ride yet</source>
        <translation>Todavía no tengo quién me lleve</translation>
    </message>
    <message>
        <source>Tells the front desk you still need a ride home, and finishes check-in.</source>
        <translation>Avisa a la recepción de que todavía necesita quien le lleve a casa, y termina el registro.</translation>
    </message>
    <message>
        <source>Continue ›</source>
        <translation>Continuar ›</translation>
    </message>
    <message>
        <source>Keeps who is taking you home, and finishes check-in.</source>
        <translation>Guarda quién le lleva a casa y termina el registro.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Please enter the name of who is taking you home.</source>
        <translation>Por favor, escriba el nombre de quien le llevará a casa.</translation>
    </message>
    <message>
        <source>Please enter their phone number.</source>
        <translation>Por favor, escriba su número de teléfono.</translation>
    </message>
    <message>
        <source>Please check the phone number: it should have 7 to 15 digits.</source>
        <translation>Por favor, revise el número de teléfono: debe tener de 7 a 15 cifras.</translation>
    </message>
    <message>
        <source>Please tell us how you know them.</source>
        <translation>Por favor, díganos qué relación tiene con usted.</translation>
    </message>
</context>
<context>
    <name>RiskNotice</name>
    <message>
        <source>If you are thinking about hurting yourself, you can call or text 988 (the Suicide &amp; Crisis Lifeline) at any time. In an emergency, call 911.</source>
        <translation>Si está pensando en hacerse daño, puede llamar o enviar un mensaje de texto al 988 (la Línea de Prevención del Suicidio y Crisis, con atención en español) en cualquier momento. En caso de emergencia, llame al 911.</translation>
    </message>
    <message>
        <source>Thank you for telling us. Someone from our team is on their way to talk with you now.</source>
        <translation>Gracias por decírnoslo. Una persona de nuestro equipo ya viene a hablar con usted.</translation>
    </message>
    <message>
        <source>Thank you for telling us. A member of our team would like to talk with you now. Please stay here.</source>
        <translation>Gracias por decírnoslo. Un miembro de nuestro equipo desea hablar con usted ahora. Por favor, quédese aquí.</translation>
    </message>
    <message>
        <source>Thank you for telling us. Please go to the front desk now and let them know you would like to talk with someone.</source>
        <translation>Gracias por decírnoslo. Por favor, vaya ahora a la recepción y dígales que desea hablar con alguien.</translation>
    </message>
    <message>
        <source>A member of our team would like to talk with you</source>
        <translation>Un miembro de nuestro equipo desea hablar con usted</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>De acuerdo</translation>
    </message>
    <message>
        <source>Closes this message. Your check-in goes on.</source>
        <translation>Cierra este mensaje. Su registro continúa.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Signature pad: draw your signature with your finger</source>
        <translation>Área de firma: dibuje su firma con el dedo</translation>
    </message>
</context>
<context>
    <name>SlideScreen</name>
    <message>
        <source>Next ›</source>
        <translation>Siguiente ›</translation>
    </message>
    <message>
        <source>Shows the next page.</source>
        <translation>Muestra la página siguiente.</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} de {1}</translation>
    </message>
</context>
<context>
    <name>StatementButton</name>
    <message>
        <source>You have confirmed this statement.</source>
        <translation>Ya ha confirmado esta declaración.</translation>
    </message>
    <message>
        <source>Tap to confirm that you have read and understand this statement.</source>
        <translation>Tóquela para confirmar que ha leído y entiende esta declaración.</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <source>Details</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>Learn</source>
        <translation>Aprender</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>Preguntas</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consentimiento</translation>
    </message>
    <message>
        <source>Ride home</source>
        <translation>Volver a casa</translation>
    </message>
    <message>
        <source>Step {0} of {1}: {2}</source>
        <translation>Paso {0} de {1}: {2}</translation>
    </message>
</context>
<context>
    <name>TeachBackReviewScreen</name>
    <message>
        <source>Ask me again ›</source>
        <translation>Preguntarme otra vez ›</translation>
    </message>
    <message>
        <source>Ask me again</source>
        <translation>Preguntarme otra vez</translation>
    </message>
    <message>
        <source>Asks the question once more.</source>
        <translation>Hace la pregunta otra vez.</translation>
    </message>
    <message>
        <source>Let&apos;s look at this page again</source>
        <translation>Veamos esta página otra vez</translation>
    </message>
    <message>
        <source>You were asked: “{0}”</source>
        <translation>Se le preguntó: “{0}”</translation>
    </message>
    <message>
        <source>This page says: “{0}”</source>
        <translation>Esta página dice: “{0}”</translation>
    </message>
</context>
<context>
    <name>TeachBackScreen</name>
    <message>
        <source>Chooses this answer.</source>
        <translation>Elige esta respuesta.</translation>
    </message>
    <message>
        <source>Checking what you read: {0} of {1}</source>
        <translation>Comprobemos lo que leyó: {0} de {1}</translation>
    </message>
    <message>
        <source>Now that you have seen that page again, here is the question once more.</source>
        <translation>Ahora que ha visto esa página otra vez, aquí está la pregunta de nuevo.</translation>
    </message>
    <message>
        <source>A few questions about what you have just read. If one is unclear, we show you that page again.</source>
        <translation>Unas preguntas sobre lo que acaba de leer. Si alguna no está clara, le mostramos esa página otra vez.</translation>
    </message>
</context>
<context>
    <name>TypedSignature</name>
    <message>
        <source>Type your first and last name, as you entered them at the start. Your typed name counts as your signature.</source>
        <translation>Escriba su nombre y su apellido tal como los escribió al principio. Su nombre escrito cuenta como su firma.</translation>
    </message>
    <message>
        <source>Your full name</source>
        <translation>Su nombre completo</translation>
    </message>
    <message>
        <source>Type your first and last name, as you entered them at the start. It counts as your signature.</source>
        <translation>Escriba su nombre y su apellido tal como los escribió al principio. Cuenta como su firma.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Welcome. Please check in here before your treatment. It takes about 5–10 minutes: a few short pages about the treatment, some questions, your consent, and who will take you home.</source>
        <translation>Bienvenido/a. Por favor, regístrese aquí antes de su tratamiento. Tarda unos 5 a 10 minutos: unas páginas cortas sobre el tratamiento, algunas preguntas, su consentimiento y quién le llevará a casa.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Empezar</translation>
    </message>
    <message>
        <source>Begins your check-in.</source>
        <translation>Comienza su registro.</translation>
    </message>
    <message>
        <source>Check-in at this screen is paused for a moment. Please see the front desk — we&apos;ll check you in there.</source>
        <translation>El registro en esta pantalla está en pausa por un momento. Por favor, vaya a la recepción; allí le registramos.</translation>
    </message>
    <message>
        <source>Shows every page in English.</source>
        <extracomment>Name the language of this translation, not English.</extracomment>
        <translation>Muestra todas las páginas en español.</translation>
    </message>
</context>
</TS>
