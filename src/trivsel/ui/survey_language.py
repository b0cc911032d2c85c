"""The language a respondent answers in: the picker, right-to-left layout, and the form's own texts.

The choice lives in the browser session only. It is never stored with an answer, a draft or an audit entry, and
never put in the link, since the language of a small unit's few Arabic speakers would tell who answered what.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from trivsel.surveys import rounds
from trivsel.surveys.definitions import Text
from trivsel.surveys.languages import LANGUAGES, RIGHT_TO_LEFT, SOURCE

KEY = "survey_language"
PICKER_LABEL = ":material/translate: Sprog / Language"

# The form's own texts; a `{name}` is filled in by the caller.
NEXT = Text("Næste", "Next", "التالي", "Dalej", "Далі")
BACK = Text("Forrige", "Back", "السابق", "Wstecz", "Назад")
SEND = Text("Send svar", "Send answers", "إرسال الإجابات", "Wyślij odpowiedzi", "Надіслати відповіді")
REQUIRED = Text("skal besvares", "required", "إجباري", "wymagane", "обов’язково")
REQUIRED_NOTE = Text(
    "Spørgsmål med * skal besvares.",
    "Questions marked * must be answered.",
    "الأسئلة المعلّمة بـ * إجبارية.",
    "Pytania oznaczone * są obowiązkowe.",
    "Запитання, позначені *, є обов’язковими.",
)
MISSING = Text(
    "Besvar venligst spørgsmål {numbers}.",
    "Please answer question {numbers}.",
    "يرجى الإجابة على السؤال {numbers}.",
    "Odpowiedz na pytanie {numbers}.",
    "Будь ласка, дайте відповідь на запитання {numbers}.",
)
SCALE_HINT = Text(
    "0 = slet ikke sandsynligt, 10 = meget sandsynligt",
    "0 = not at all likely, 10 = extremely likely",
    "0 = غير محتمل إطلاقًا، 10 = محتمل جدًا",
    "0 = zupełnie nieprawdopodobne, 10 = bardzo prawdopodobne",
    "0 = зовсім малоймовірно, 10 = дуже ймовірно",
)
NUMBER_PLACEHOLDER = Text("Skriv et tal", "Type a number", "اكتب رقمًا", "Wpisz liczbę", "Введіть число")
CHOOSE_SEVERAL = Text(
    "Vælg en eller flere",
    "Choose one or more",
    "اختر واحدًا أو أكثر",
    "Wybierz jedną lub kilka",
    "Виберіть одне або кілька",
)
# Minutes and questions after a colon, so that no plural has to agree with the number (Polish, Ukrainian and
# Arabic have several plural forms); Danish and English say it as a sentence (survey_form.duration).
DURATION = Text(
    "",
    "",
    "الوقت اللازم للإجابة بالدقائق: {minutes} تقريبًا (عدد الأسئلة: {count}).",
    "Czas wypełniania w minutach: około {minutes} (liczba pytań: {count}).",
    "Час заповнення у хвилинах: приблизно {minutes} (кількість запитань: {count}).",
)

# The staff page's texts around the form.
STAFF_TITLE = Text(
    "Trivsel for medarbejdere",
    "Wellbeing survey for staff",
    "استبيان الرفاهية للموظفين",
    "Ankieta o dobrostanie dla pracowników",
    "Опитування про добробут для працівників",
)
YOUR_UNIT = Text("Din enhed", "Your unit", "وحدتك", "Twoja jednostka", "Ваш підрозділ")
THANKS = Text(
    "Tak for dine svar! De er gemt anonymt.",
    "Thank you! Your answers are stored anonymously.",
    "شكرًا على إجاباتك! تم حفظها دون الكشف عن هويتك.",
    "Dziękujemy za odpowiedzi! Zostały zapisane anonimowo.",
    "Дякуємо за відповіді! Їх збережено анонімно.",
)
THANKS_GROUPS = Text(
    "Resultaterne vises kun for grupper, der er store nok til, at ingen kan genkendes.",
    "Results are shown only for groups large enough that no one can be recognised.",
    "تُعرض النتائج فقط للمجموعات الكبيرة بما يكفي بحيث لا يمكن التعرّف على أي شخص.",
    "Wyniki są pokazywane tylko dla grup na tyle dużych, że nikogo nie da się rozpoznać.",
    "Результати показуються лише для груп, достатньо великих, щоб нікого не можна було впізнати.",
)
NO_OPEN_SURVEY = Text(
    "Der er ingen åbne spørgeskemaer for din enhed lige nu.",
    "There is no open survey for your unit right now.",
    "لا يوجد استبيان مفتوح لوحدتك حاليًا.",
    "Obecnie nie ma otwartej ankiety dla Twojej jednostki.",
    "Зараз для вашого підрозділу немає відкритого опитування.",
)
WHO_SEES = Text(
    "Hvem kan se mine svar?",
    "Who can see my answers?",
    "من يمكنه رؤية إجاباتي؟",
    "Kto może zobaczyć moje odpowiedzi?",
    "Хто може бачити мої відповіді?",
)
WHO_SEES_ANSWER = Text(
    "Ingen kan se dine enkelte svar. Resultater vises kun for grupper med mindst {threshold} svar, og der gemmes "
    "hverken navn, kode, tidspunkt eller IP-adresse sammen med svarene. Lederen ser kun sin egen enheds samlede "
    "resultater.",
    "No one can see your individual answers. Results are shown only for groups with at least {threshold} answers, "
    "and no name, code, time or IP address is stored with the answers. Managers see only their own unit's combined "
    "results.",
    "لا يمكن لأحد رؤية إجاباتك الفردية. تُعرض النتائج فقط للمجموعات التي لديها {threshold} إجابات على الأقل، ولا "
    "يُحفظ مع الإجابات اسم أو رمز أو وقت أو عنوان IP. يرى المدير النتائج المجمّعة لوحدته فقط.",
    "Nikt nie widzi Twoich pojedynczych odpowiedzi. Wyniki są pokazywane tylko dla grup, w których jest co najmniej "
    "{threshold} odpowiedzi, a razem z odpowiedziami nie zapisuje się imienia i nazwiska, kodu, godziny ani adresu "
    "IP. Kierownik widzi tylko łączne wyniki swojej jednostki.",
    "Ніхто не бачить ваших окремих відповідей. Результати показуються лише для груп, у яких є щонайменше "
    "{threshold} відповідей, і разом із відповідями не зберігається ні ім’я, ні код, ні час, ні IP-адреса. "
    "Керівник бачить лише загальні результати свого підрозділу.",
)
CODE_PROMPT = Text(
    "Har du fået en kode på papir? Skriv den her. Har du fået et link, så brug linket.",
    "Did you get a code on paper? Type it here. If you got a link, use the link.",
    "هل حصلت على رمز مطبوع على ورق؟ اكتبه هنا. إذا حصلت على رابط، فاستخدم الرابط.",
    "Masz kod na papierze? Wpisz go tutaj. Jeśli masz link, użyj linku.",
    "Отримали код на папері? Введіть його тут. Якщо ви отримали посилання, скористайтеся ним.",
)
CODE_LABEL = Text("Kode", "Code", "الرمز", "Kod", "Код")
START = Text("Start", "Start", "ابدأ", "Rozpocznij", "Почати")
INVALID_LINK = Text(
    "Linket er ugyldigt eller udløbet. Bed din leder om et nyt link.",
    "The link is not valid or has expired. Ask your manager for a new link.",
    "الرابط غير صالح أو منتهي الصلاحية. اطلب رابطًا جديدًا من مديرك.",
    "Link jest nieprawidłowy lub wygasł. Poproś kierownika o nowy link.",
    "Посилання недійсне або застаріле. Попросіть керівника про нове посилання.",
)
FULL_UNIT = Text(
    rounds.FULL_UNIT,
    "Your unit has already had as many answers as it had staff when the survey opened. "
    "Contact the wellbeing consultant if you have not answered.",
    "تلقّت وحدتك بالفعل عددًا من الإجابات يساوي عدد الموظفين عند فتح الاستبيان. "
    "تواصل مع مستشار الرفاهية إذا لم تكن قد أجبت.",
    "Twoja jednostka otrzymała już tyle odpowiedzi, ilu było pracowników w chwili otwarcia ankiety. "
    "Skontaktuj się z konsultantem ds. dobrostanu, jeśli nie udzielono jeszcze Twojej odpowiedzi.",
    "Ваш підрозділ уже отримав стільки відповідей, скільки було працівників на момент відкриття опитування. "
    "Зверніться до консультанта з добробуту, якщо ви ще не відповідали.",
)
ASK_SUPERVISION = Text(
    "Bed om gruppesupervision til jeres gruppe",
    "Ask for group supervision for your group (in Danish)",
    "اطلب إشرافًا جماعيًا لمجموعتكم (بالدنماركية)",
    "Poproś o superwizję grupową dla Waszej grupy (po duńsku)",
    "Попросіть про групову супервізію для вашої групи (данською)",
)
NEXT_SURVEY = Text(
    "Fortsæt til det næste spørgeskema",
    "Continue to the next survey",
    "تابع إلى الاستبيان التالي",
    "Przejdź do następnej ankiety",
    "Перейти до наступного опитування",
)
# A shared tablet (kiosk) and a browser that has answered before (ui/kiosk.py, ui/answered_marker.py).
KIOSK_RESTART = Text(
    "Skemaet starter forfra for den næste om få sekunder.",
    "The survey starts again for the next person in a few seconds.",
    "سيبدأ الاستبيان من جديد للشخص التالي خلال ثوانٍ.",
    "Za kilka sekund ankieta zacznie się od nowa dla następnej osoby.",
    "За кілька секунд опитування почнеться знову для наступної людини.",
)
ALREADY_ANSWERED = Text(
    "Du har allerede svaret på denne måling fra denne browser. Tak!",
    "You have already answered this survey from this browser. Thank you!",
    "لقد أجبت بالفعل على هذا الاستبيان من هذا المتصفح. شكرًا!",
    "Ta przeglądarka już wysłała odpowiedzi w tej ankiecie. Dziękujemy!",
    "З цього браузера вже надіслано відповіді на це опитування. Дякуємо!",
)
SHARED_DEVICE = Text(
    "Deler du telefon, tablet eller computer med en kollega, kan kollegaen også svare her.",
    "If you share the phone, tablet or computer with a colleague, they can answer here too.",
    "إذا كنت تتشارك الهاتف أو الجهاز اللوحي أو الحاسوب مع زميل، فيمكنه الإجابة هنا أيضًا.",
    "Jeśli dzielisz telefon, tablet lub komputer z kimś z zespołu, ta osoba też może tu odpowiedzieć.",
    "Якщо ви користуєтеся телефоном, планшетом чи комп’ютером разом із колегою, колега теж може відповісти тут.",
)
ANSWER_ANYWAY = Text(
    "Jeg er en anden person – svar alligevel",
    "I am someone else – answer anyway",
    "أنا شخص آخر – أريد الإجابة",
    "Jestem inną osobą – chcę odpowiedzieć",
    "Я інша людина – відповісти все одно",
)
# The privacy page itself is in Danish; the other languages say so.
PRIVACY_MORE = Text(
    "Læs mere om privatliv",
    "Read more about privacy (in Danish)",
    "اقرأ المزيد عن الخصوصية (بالدنماركية)",
    "Więcej o prywatności (po duńsku)",
    "Докладніше про конфіденційність (данською)",
)
HOW_WE_PROTECT = Text(
    "Sådan beskytter vi dine svar",
    "How we protect your answers (in Danish)",
    "كيف نحمي إجاباتك (بالدنماركية)",
    "Jak chronimy Twoje odpowiedzi (po duńsku)",
    "Як ми захищаємо ваші відповіді (данською)",
)


def _key() -> str:
    from trivsel.ui import kiosk  # kiosk needs the survey form, which needs these texts

    return kiosk.state_key(KEY)  # on a kiosk tablet each person starts in Danish


def chosen() -> str:
    """The language the respondent picked in this session; Danish until they pick another."""
    language = st.session_state.get(_key())
    return language if language in LANGUAGES else SOURCE


def picker(container: DeltaGenerator, languages: tuple[str, ...] = tuple(LANGUAGES)) -> None:
    """The picker, offering `languages` by their own names. A choice the survey does not have falls back to
    Danish; the page is drawn again at once, as the texts above the picker were drawn in the old language."""
    key = _key()
    if chosen() not in languages:
        st.session_state[key] = SOURCE
        st.rerun()
    if len(languages) > 1:
        container.selectbox(PICKER_LABEL, languages, format_func=LANGUAGES.get, key=key, width=220)


def set_direction(language: str) -> None:
    """Right-to-left layout for Arabic: the page's main column reads from the right, radios and buttons too."""
    if language in RIGHT_TO_LEFT:
        # Headings and captions carry their own text-align: left, so they are turned to the start (the right).
        st.html(
            "<style>[data-testid=stMainBlockContainer] { direction: rtl; text-align: right; }"
            "[data-testid=stMainBlockContainer] :is(h1, h2, h3, p, [data-testid=stCaptionContainer]) "
            "{ text-align: start; }</style>"
        )
