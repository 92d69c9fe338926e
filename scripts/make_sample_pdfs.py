#!/usr/bin/python3
"""Writes the PDF publications and bulletins of the Mediateka sample collection.

Usage: make_sample_pdfs.py SAMPLES_DIR FACTS.json

Called by scripts/make-samples.sh. Needs python3-reportlab, fonts-dejavu-core and
(for the self-check) poppler-utils. Output is byte-stable: reportlab runs in
invariant mode and every document gets a fixed creation date.

Every document lists "facts": phrases that stand on exactly one page. After
writing a PDF the script extracts each page with pdftotext and fails if a fact
is not true, so the facts quoted in samples/README.md cannot drift. They are
written to FACTS.json for the README generator.
"""
import json
import os
import re
import subprocess
import sys
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

rl_config.invariant = 1

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
pdfmetrics.registerFont(TTFont("Serif", os.path.join(FONT_DIR, "DejaVuSerif.ttf")))
pdfmetrics.registerFont(TTFont("Sans", os.path.join(FONT_DIR, "DejaVuSans.ttf")))
pdfmetrics.registerFont(TTFont("SansBold", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")))

STYLES = {
    "title": ParagraphStyle("title", fontName="SansBold", fontSize=22, leading=28,
                            alignment=TA_CENTER, spaceBefore=40 * mm, spaceAfter=8 * mm),
    "sub": ParagraphStyle("sub", fontName="Sans", fontSize=14, leading=19,
                          alignment=TA_CENTER, spaceAfter=10 * mm),
    "meta": ParagraphStyle("meta", fontName="Sans", fontSize=10, leading=14,
                           alignment=TA_CENTER, spaceAfter=4 * mm),
    "h1": ParagraphStyle("h1", fontName="SansBold", fontSize=18, leading=23, spaceAfter=6 * mm),
    "h2": ParagraphStyle("h2", fontName="SansBold", fontSize=13, leading=17,
                         spaceBefore=3 * mm, spaceAfter=3 * mm),
    "p": ParagraphStyle("p", fontName="Serif", fontSize=10.5, leading=15, spaceAfter=3 * mm),
}

CENTRE = "Regionalne Centrum Polityki Społecznej"

# ---------------------------------------------------------------------------
# The long publication: 14 pages, one chapter per page.
# ---------------------------------------------------------------------------
RAPORT = {
    "path": "publikacje/pomoc-spoleczna-na-mazowszu-2007-2013.pdf",
    "title": "Pomoc społeczna na Mazowszu 2007–2013. Raport z projektu „Razem dla Mazowsza”",
    "author": "Elżbieta Wójcik, Grzegorz Łęcki",
    "subject": "Pomoc społeczna, aktywna integracja i przeciwdziałanie wykluczeniu społecznemu na Mazowszu w latach 2007–2013",
    "keywords": "pomoc społeczna, aktywna integracja, dziedziczenie biedy, ekonomia społeczna, wolontariat, niepełnosprawność, Mazowsze",
    "date": "D:20131210100000+01'00'",
    "footer": "Pomoc społeczna na Mazowszu 2007–2013",
    "pages": [
        [("title", "Pomoc społeczna na Mazowszu 2007–2013"),
         ("sub", "Raport z realizacji projektu „Razem dla Mazowsza”"),
         ("meta", "Opracowanie: dr Elżbieta Wójcik, Grzegorz Łęcki"),
         ("meta", CENTRE),
         ("meta", "Warszawa, grudzień 2013"),
         ("meta", "Publikacja współfinansowana ze środków Unii Europejskiej w ramach "
                  "Europejskiego Funduszu Społecznego. Egzemplarz bezpłatny.")],
        [("h1", "Wstęp"),
         ("p", "Oddajemy do rąk Czytelników raport, który podsumowuje siedem lat wspólnej pracy "
               "samorządów, ośrodków pomocy społecznej i organizacji pozarządowych z całego regionu. "
               "W latach 2007–2013 pomoc społeczna na Mazowszu zmieniła się bardziej niż w poprzednich "
               "dwóch dekadach. Coraz rzadziej ogranicza się do wypłaty zasiłków, coraz częściej oznacza "
               "towarzyszenie ludziom w wychodzeniu z trudnej sytuacji życiowej."),
         ("p", "Projekt „Razem dla Mazowsza” powstał z przekonania, że żadna instytucja nie poradzi sobie "
               "sama z ubóstwem, bezrobociem i samotnością. Dlatego łączyliśmy pracowników socjalnych, "
               "nauczycieli, pracodawców, wolontariuszy i przedstawicieli parafii. Wspólnie szukaliśmy "
               "rozwiązań, które sprawdzą się zarówno w dużym mieście, jak i w niewielkiej gminie wiejskiej."),
         ("p", "W kolejnych rozdziałach opisujemy najważniejsze obszary działań: aktywną integrację, "
               "przeciwdziałanie dziedziczeniu biedy, wspieranie rodziny, ekonomię społeczną, wolontariat "
               "oraz wsparcie osób niepełnosprawnych. Raport zamykają wnioski i wykaz literatury. "
               "Dziękujemy wszystkim, którzy podzielili się z nami swoim doświadczeniem.")],
        [("h1", "1. Pomoc społeczna w liczbach"),
         ("p", "W 2013 roku z pomocy społecznej na Mazowszu skorzystało blisko 190 tysięcy osób, czyli "
               "mniej więcej co trzydziesta mieszkanka i co trzydziesty mieszkaniec województwa. "
               "Najczęstszymi powodami przyznania świadczeń były ubóstwo, bezrobocie, długotrwała choroba "
               "oraz niepełnosprawność. W porównaniu z rokiem 2007 liczba beneficjentów spadła o kilkanaście "
               "procent, ale wzrosła liczba osób, które potrzebują wsparcia przez wiele lat."),
         ("p", "Mazowsze jest najzamożniejszym regionem kraju, a zarazem regionem największych "
               "kontrastów: obok dobrze prosperujących miast leżą gminy, w których co piąta rodzina "
               "korzysta ze świadczeń."),
         ("p", "Dane statystyczne pokazują wyraźne różnice między subregionami. W Warszawie i gminach "
               "podwarszawskich dominują problemy osób starszych i samotnych, natomiast w powiatach "
               "północnych i wschodnich wciąż przeważa bieda całych rodzin wielodzietnych. Te różnice "
               "wymagają odmiennych narzędzi i innego rozłożenia akcentów w lokalnych strategiach "
               "rozwiązywania problemów społecznych."),
         ("p", "Warto podkreślić, że za suchymi liczbami stoją konkretne historie. Pracownicy socjalni, "
               "z którymi rozmawialiśmy, zwracali uwagę, że ankiety i sprawozdania rzadko oddają wysiłek, "
               "jaki ludzie wkładają w odbudowę własnego życia.")],
        [("h1", "2. Ośrodki pomocy społecznej jako centra aktywnej integracji"),
         ("p", "Ośrodki pomocy społecznej przestały być wyłącznie miejscem wydawania decyzji "
               "administracyjnych. W ramach projektu systemowego wiele z nich zatrudniło dodatkowych "
               "pracowników socjalnych, doradców zawodowych i psychologów. Podstawowym narzędziem stał się "
               "kontrakt socjalny, czyli pisemna umowa między pracownikiem socjalnym a osobą korzystającą "
               "z pomocy, określająca wspólne cele i kolejne kroki."),
         ("p", "Aktywna integracja łączy instrumenty aktywizacji zawodowej, edukacyjnej, zdrowotnej "
               "i społecznej. Uczestnicy kursów zdobywali uprawnienia operatora wózka widłowego, opiekunki "
               "osób starszych czy kucharza, a równolegle brali udział w treningach kompetencji społecznych. "
               "Dla wielu z nich było to pierwsze od lat doświadczenie systematycznej nauki."),
         ("p", "Najlepsze efekty przynosiło połączenie kilku form wsparcia naraz. Kobieta, która po kursie "
               "zawodowym otrzymuje pomoc w zorganizowaniu opieki nad dziećmi, ma znacznie większe szanse "
               "na utrzymanie zatrudnienia niż osoba, której zaproponowano jedynie szkolenie.")],
        [("h1", "3. Przeciwdziałanie dziedziczeniu biedy"),
         ("p", "Bieda bywa przekazywana z pokolenia na pokolenie jak rodzinny spadek. Dzieci wychowujące "
               "się w ubóstwie częściej przerywają naukę, wcześniej zakładają własne rodziny i trudniej "
               "znajdują stałą pracę. Dziedziczenie biedy w małych gminach jest szczególnie widoczne tam, "
               "gdzie po likwidacji państwowych gospodarstw rolnych zabrakło miejsc pracy."),
         ("p", "Kampania „Przeciwdziałanie dziedziczeniu biedy” skupiała się na dzieciach i młodzieży. "
               "Świetlice środowiskowe, korepetycje prowadzone przez studentów, wyjazdy wakacyjne "
               "i stypendia motywacyjne pozwoliły setkom uczniów ukończyć szkołę średnią. Szczególnie cenne "
               "okazały się programy mentorskie, w których młody człowiek przez cały rok spotykał się "
               "z dorosłym przewodnikiem."),
         ("p", "Rodzice uczestników byli zapraszani na warsztaty umiejętności wychowawczych i spotkania "
               "z doradcą zawodowym. Dzięki temu wsparcie nie kończyło się na progu świetlicy, lecz "
               "obejmowało całą rodzinę.")],
        [("h1", "4. Wspieranie rodziny"),
         ("p", "Ustawa o wspieraniu rodziny i systemie pieczy zastępczej z 2011 roku wprowadziła do gmin "
               "nowy zawód: asystenta rodziny. Asystent rodziny pracuje z rodzicami w ich domu, pomaga "
               "uporządkować domowy budżet, załatwić sprawy w urzędach i odbudować codzienny rytm życia. "
               "Jego celem jest to, by dzieci mogły bezpiecznie wychowywać się u swoich rodziców."),
         ("p", "Na Mazowszu w 2013 roku zatrudnionych było już ponad trzystu asystentów. Rodzinom, z którymi "
               "pracowali, najczęściej brakowało nie pieniędzy, lecz umiejętności planowania i wiary we "
               "własne siły. Asystenci podkreślają, że zaufanie buduje się miesiącami, a jedna nieudana "
               "wizyta potrafi zniweczyć wiele tygodni pracy."),
         ("p", "Ważną rolę odgrywają także rodziny wspierające, czyli sąsiedzi i znajomi, którzy pomagają "
               "rodzinie przeżywającej trudności w opiece nad dziećmi i prowadzeniu gospodarstwa domowego. "
               "To rozwiązanie tanie, a zarazem bardzo ludzkie.")],
        [("h1", "5. Ekonomia społeczna"),
         ("p", "Ekonomia społeczna łączy działalność gospodarczą z celami społecznymi. Zysk nie jest tu "
               "celem samym w sobie, lecz środkiem do zatrudnienia osób, które na otwartym rynku pracy nie "
               "miałyby szans. Spółdzielnie socjalne na Mazowszu prowadzą stołówki szkolne, pralnie, firmy "
               "remontowe i usługi porządkowe dla gmin."),
         ("p", "W latach 2007–2013 w regionie powstało ponad czterdzieści nowych spółdzielni socjalnych. "
               "Ich członkami są najczęściej osoby długotrwale bezrobotne, osoby niepełnosprawne i osoby "
               "wychodzące z bezdomności. Praca w spółdzielni daje nie tylko dochód, ale też poczucie "
               "współodpowiedzialności za wspólne przedsiębiorstwo."),
         ("p", "Ośrodki wsparcia ekonomii społecznej pomagały założycielom przygotować biznesplan, uzyskać "
               "dotację i przejść przez pierwsze, najtrudniejsze miesiące działalności. Coraz więcej "
               "samorządów stosuje klauzule społeczne w zamówieniach publicznych, dzięki czemu podmioty "
               "ekonomii społecznej mogą uczciwie konkurować o zlecenia.")],
        [("h1", "6. Wolontariat"),
         ("p", "Wolontariat w pomocy społecznej ma na Mazowszu długą tradycję. Wolontariusze odwiedzają "
               "osoby starsze, pomagają dzieciom w odrabianiu lekcji, prowadzą zajęcia w świetlicach "
               "i wspierają pracowników socjalnych podczas zbiórek żywności. W projekcie „Razem dla "
               "Mazowsza” działało ponad tysiąc dwustu wolontariuszy w różnym wieku."),
         ("p", "Szczególnie aktywni byli wolontariusze z Radomia, którzy stworzyli sieć sąsiedzkiej pomocy "
               "dla samotnych seniorów. Raz w tygodniu dzwonią do swoich podopiecznych, robią zakupy, "
               "towarzyszą w wizytach u lekarza. Dla wielu seniorów ten krótki telefon jest najważniejszym "
               "wydarzeniem tygodnia."),
         ("p", "Dobrze zorganizowany wolontariat wymaga koordynatora, szkoleń i jasnych zasad. Ośrodki, "
               "które podpisywały z wolontariuszami porozumienia i regularnie dziękowały im za pracę, "
               "rzadziej traciły zaangażowanych ludzi.")],
        [("h1", "7. Osoby niepełnosprawne"),
         ("p", "Niepełnosprawność nie musi oznaczać wykluczenia. Osoby niepełnosprawne, które otrzymały "
               "odpowiednie wsparcie, pracują, studiują i angażują się w życie lokalnych społeczności. "
               "Kampania „Niepełnosprawność bez barier” przypominała, że największe przeszkody często tkwią "
               "nie w schodach i krawężnikach, lecz w ludzkich uprzedzeniach. Niepełnosprawni mieszkańcy "
               "regionu coraz częściej sami zabierają głos w sprawach, które ich dotyczą."),
         ("p", "Na Mazowszu działa kilkadziesiąt placówek, w których prowadzone są warsztaty terapii "
               "zajęciowej. Uczestnicy uczą się tam gotowania, stolarstwa, ceramiki i obsługi komputera, "
               "a przede wszystkim samodzielności w codziennym życiu. Dla części z nich warsztaty są "
               "pierwszym krokiem do zakładu aktywności zawodowej albo pracy u zwykłego pracodawcy."),
         ("p", "Ważnym wsparciem dla osób niepełnosprawnych i ich rodzin są także usługi opiekuńcze oraz "
               "mieszkania chronione. Pozwalają one dłużej mieszkać we własnym domu i odciążają opiekunów, "
               "którzy często rezygnują z pracy zawodowej.")],
        [("h1", "8. Wykluczenie społeczne na wsi"),
         ("p", "Wykluczenie społeczne na obszarach wiejskich ma inne oblicze niż w miastach. Brak dojazdu "
               "do szkoły ponadgimnazjalnej, odległość od urzędu pracy i rzadko kursujące autobusy "
               "sprawiają, że nawet proste sprawy wymagają całodziennej wyprawy. Mieszkańcy małych wsi "
               "często nie wiedzą, jakie formy pomocy im przysługują."),
         ("p", "Dlatego w wielu gminach pracownicy socjalni wyruszali w teren, organizując dyżury "
               "w remizach strażackich, świetlicach wiejskich i bibliotekach. Koła gospodyń wiejskich "
               "okazały się sprzymierzeńcami w docieraniu do osób, które same nigdy nie przyszłyby "
               "do ośrodka."),
         ("p", "Ważnym czynnikiem wykluczenia jest również brak dostępu do internetu. Kursy dla seniorów "
               "i bezrobotnych, prowadzone w bibliotekach gminnych, pomogły wielu osobom założyć konto "
               "w banku, wysłać podanie o pracę czy porozmawiać z wnukami mieszkającymi za granicą.")],
        [("h1", "9. Źródła finansowania"),
         ("p", "Najważniejszym źródłem finansowania działań opisanych w raporcie był Program Operacyjny "
               "Kapitał Ludzki, współfinansowany z Europejskiego Funduszu Społecznego. Środki europejskie "
               "uzupełniały budżety gmin i powiatów, które same nie byłyby w stanie sfinansować szkoleń, "
               "doradztwa i zatrudnienia dodatkowej kadry."),
         ("p", "Źródła finansowania pomocy społecznej są jednak znacznie szersze. Obejmują dotacje "
               "z budżetu państwa na zadania zlecone, programy rządowe, środki Państwowego Funduszu "
               "Rehabilitacji Osób Niepełnosprawnych, a także granty fundacji prywatnych i lokalne zbiórki "
               "publiczne. Umiejętne łączenie tych źródeł wymaga wiedzy i dobrej współpracy między "
               "instytucjami."),
         ("p", "Po zakończeniu okresu programowania wiele działań trzeba będzie utrzymać ze środków "
               "własnych samorządów. Z tego powodu już dziś warto planować, które usługi sprawdziły się "
               "najlepiej i powinny stać się stałym elementem lokalnej polityki społecznej.")],
        [("h1", "10. Dobre praktyki z regionu"),
         ("p", "W Płocku miejski ośrodek pomocy społecznej otworzył klub integracji społecznej, w którym "
               "osoby bezrobotne wspólnie szukają pracy, uczą się pisać życiorysy i ćwiczą rozmowy "
               "kwalifikacyjne. Po roku działalności połowa uczestników podjęła zatrudnienie."),
         ("p", "W Ostrołęce zorganizowano pierwszy w regionie dzienny dom pobytu dla osób z chorobą "
               "Alzheimera. Dzięki temu opiekunowie, najczęściej córki i synowie chorych, mogą nadal "
               "pracować zawodowo, wiedząc, że ich bliscy są bezpieczni."),
         ("p", "W Siedlcach lokalne partnerstwo szkół, poradni pedagogicznej i policji prowadzi program "
               "wczesnego reagowania na wagary. Rozmowa z pedagogiem i rodzicami już po kilku dniach "
               "nieobecności pozwala zapobiec poważniejszym problemom.")],
        [("h1", "11. Wnioski i rekomendacje"),
         ("p", "Doświadczenia lat 2007–2013 pozwalają sformułować kilka rekomendacji dla samorządów. "
               "Po pierwsze, pomoc społeczna powinna być bardziej usługą niż świadczeniem: pieniądze są "
               "potrzebne, ale same nie zmieniają sytuacji człowieka. Po drugie, najlepsze efekty daje "
               "praca z całą rodziną, a nie z pojedynczymi jej członkami."),
         ("p", "Po trzecie, trzeba inwestować w kadry. Pracownicy socjalni, którzy mają dostęp do "
               "superwizji i szkoleń, rzadziej odchodzą z zawodu i lepiej radzą sobie z wypaleniem. "
               "Po czwarte, warto korzystać z potencjału organizacji pozarządowych, podmiotów ekonomii "
               "społecznej i wolontariuszy, zlecając im zadania, które wykonają lepiej niż urząd."),
         ("p", "Wreszcie, każda gmina powinna regularnie diagnozować problemy swoich mieszkańców i na tej "
               "podstawie aktualizować strategię. Bez rzetelnej diagnozy nawet najlepiej zaprojektowany "
               "program może trafić w próżnię.")],
        [("h1", "Bibliografia i słowniczek pojęć"),
         ("h2", "Akty prawne i literatura"),
         ("p", "Ustawa z dnia 12 marca 2004 r. o pomocy społecznej. "
               "Ustawa z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie. "
               "Ustawa z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym. "
               "Wojewódzka strategia w zakresie polityki społecznej na lata 2005–2013."),
         ("h2", "Słowniczek pojęć"),
         ("p", "Aktywna integracja – połączenie instrumentów aktywizacji zawodowej, edukacyjnej, "
               "zdrowotnej i społecznej, które pomagają wrócić na rynek pracy."),
         ("p", "Pracownik socjalny – osoba z kwalifikacjami zawodowymi, która udziela pomocy osobom "
               "i rodzinom w trudnej sytuacji życiowej."),
         ("p", "Wykluczenie społeczne – brak możliwości pełnego uczestnictwa w życiu społecznym, "
               "gospodarczym i kulturalnym."),
         ("p", "Wolontariusz – osoba, która dobrowolnie i bez wynagrodzenia wykonuje świadczenia "
               "na rzecz organizacji lub instytucji.")],
    ],
    # (page, phrase): the phrase stands on this page and on no other page.
    # A phrase ending in "*" is a word prefix: no word on another page starts with it.
    "facts": [
        (1, "Warszawa, grudzień 2013"),
        (2, "siedem lat wspólnej pracy"),
        (3, "blisko 190 tysięcy osób"), (3, "subregion*"),
        (4, "kontrakt socjalny"), (4, "kontrakt*"), (4, "wózka widłowego"),
        (5, "dziedziczenie biedy w małych gminach"), (5, "mentorsk*"),
        (6, "asystent rodziny"), (6, "asystent*"),
        (7, "spółdzielnie socjalne na Mazowszu"), (7, "spółdziel*"), (7, "klauzule społeczne"),
        (8, "wolontariusze z Radomia"), (8, "Radom*"),
        (9, "warsztaty terapii zajęciowej"), (9, "ceramik*"),
        (10, "wykluczenie społeczne na obszarach wiejskich"), (10, "remiz*"),
        (11, "Program Operacyjny Kapitał Ludzki"), (11, "źródła finansowania"),
        (12, "W Ostrołęce"), (12, "Alzheimer*"),
        (13, "rekomendacji dla samorządów"), (13, "superwizj*"),
        (14, "Słowniczek pojęć"),
    ],
    # Forms that must occur somewhere; the pages where each occurs go to the README.
    "forms": ["pomoc społeczna", "pomocy społecznej", "ośrodki pomocy społecznej", "rodziny",
              "rodzinom", "wolontariusze", "wolontariuszy", "wolontariat", "ekonomia społeczna",
              "spółdzielnie socjalne", "spółdzielni socjalnych", "niepełnosprawni",
              "osób niepełnosprawnych", "Mazowsze", "na Mazowszu", "źródła finansowania",
              "wykluczenie społeczne"],
}

LODZ = {
    "path": "publikacje/lodz-reportaz-o-ekonomii-spolecznej.pdf",
    "title": "Łódź – reportaż o ekonomii społecznej",
    "author": "Katarzyna Wiśniewska, Paweł Żółkiewski",
    "subject": "Spółdzielnie socjalne i przedsiębiorstwa społeczne w Łodzi; projekt „Liderzy Kooperacji”",
    "keywords": "ekonomia społeczna, spółdzielnie socjalne, Łódź, klauzule społeczne, wykluczenie społeczne",
    "date": "D:20160520120000+02'00'",
    "footer": "Łódź – reportaż o ekonomii społecznej",
    "pages": [
        [("h1", "Łódź – reportaż o ekonomii społecznej"),
         ("sub", "Jak miasto włókniarek uczy się przedsiębiorczości społecznej"),
         ("meta", "Tekst: Katarzyna Wiśniewska · rozmowy i zdjęcia: Paweł Żółkiewski"),
         ("p", "Na Księżym Młynie, w ceglanych zabudowaniach dawnej fabryki, od rana pachnie świeżym "
               "chlebem. Piekarnię prowadzi spółdzielnia socjalna „Zakwas”, założona przez pięć kobiet, "
               "które po latach bezrobocia postanowiły wziąć sprawy w swoje ręce. – Nikt nie chciał nas "
               "zatrudnić, więc zatrudniłyśmy się same – mówi z uśmiechem prezeska spółdzielni, "
               "pani Halina."),
         ("p", "Łódź przez dziesięciolecia była miastem włókniarek. Po upadku wielkich zakładów "
               "przemysłowych na początku lat dziewięćdziesiątych tysiące kobiet straciły pracę, a całe "
               "kamienice w śródmieściu popadły w biedę. Wykluczenie społeczne miało tu konkretną twarz: "
               "samotnej matki, która nie ma z kim zostawić dzieci, i pięćdziesięciolatki, której zawód "
               "przestał istnieć."),
         ("p", "Dziś to właśnie w Łodzi ekonomia społeczna rozwija się szczególnie szybko. W mieście "
               "działa kilkadziesiąt spółdzielni socjalnych, fundacji prowadzących działalność gospodarczą "
               "i przedsiębiorstw społecznych. Sprzątają klatki schodowe, prowadzą kawiarnie, szyją torby "
               "z resztek materiałów i opiekują się zielenią miejską.")],
        [("h2", "Kooperacja zamiast konkurencji"),
         ("p", "Spółdzielnie socjalne nie powstają w próżni. Wspierają je ośrodki wsparcia ekonomii "
               "społecznej, doradcy biznesowi i urzędnicy, którzy rozumieją, że zamówienie publiczne może "
               "być narzędziem polityki społecznej. Łódzki urząd miasta od kilku lat stosuje klauzule "
               "społeczne, zastrzegając część zamówień dla podmiotów zatrudniających osoby zagrożone "
               "wykluczeniem."),
         ("p", "W projekcie „Liderzy Kooperacji” łódzcy samorządowcy i działacze spotykali się "
               "z przedstawicielami gmin z Mazowsza. Na wspólnych warsztatach rozmawiali o tym, jak ośrodki "
               "pomocy społecznej, powiatowe urzędy pracy i przedsiębiorstwa społeczne mogą działać razem, "
               "zamiast przerzucać się odpowiedzialnością za tych samych ludzi."),
         ("p", "– Kiedyś pracownik socjalny i doradca zawodowy widzieli w jednej osobie dwa różne "
               "przypadki – opowiada Marek, członek spółdzielni „Pracownia Zieleni”, która dba o skwery "
               "na Bałutach. – Teraz siadamy przy jednym stole i układamy plan razem z nią.")],
        [("h2", "Co dalej?"),
         ("p", "Nie wszystkie przedsiębiorstwa społeczne przetrwały pierwsze lata. Najczęstszą przyczyną "
               "upadku był brak stałych zleceń i zbyt mała wiedza o prowadzeniu firmy. Dotacja na start "
               "pomaga, ale nie zastąpi klientów. Dlatego doradcy coraz częściej uczą członków spółdzielni "
               "marketingu, wyceny usług i negocjacji."),
         ("p", "Źródła finansowania ekonomii społecznej są dziś bardziej zróżnicowane niż dekadę temu: "
               "oprócz dotacji z Europejskiego Funduszu Społecznego spółdzielnie korzystają z pożyczek, "
               "poręczeń i zamówień od prywatnych firm, które chcą kupować odpowiedzialnie."),
         ("p", "Pani Halina nie ma wątpliwości: – Chleb sprzedaje się dlatego, że jest dobry, a nie "
               "dlatego, że pieczemy go my. Ale to, że pieczemy go my, zmieniło nasze życie.")],
    ],
    "facts": [(1, "Księżym Młynie"), (2, "Pracownia Zieleni"), (2, "Bałut*"),
              (3, "Pani Halina nie ma wątpliwości")],
}

PORADNIK = {
    "path": "publikacje/wolontariusz-w-osrodku-pomocy-spolecznej.pdf",
    "title": "Wolontariusz w ośrodku pomocy społecznej. Poradnik dla koordynatorów",
    "author": "Agnieszka Dąbrowska",
    "subject": "Jak rekrutować, przygotować i doceniać wolontariuszy w ośrodkach pomocy społecznej",
    "keywords": "wolontariat, wolontariusze, koordynator wolontariatu, pomoc społeczna, porozumienie",
    "date": "D:20110412090000+02'00'",
    "footer": "Wolontariusz w ośrodku pomocy społecznej",
    "pages": [
        [("h1", "Wolontariusz w ośrodku pomocy społecznej"),
         ("sub", "Poradnik dla koordynatorów wolontariatu"),
         ("meta", "Opracowanie: Agnieszka Dąbrowska · Warszawa 2011 – Europejski Rok Wolontariatu"),
         ("h2", "Po co ośrodkowi wolontariusze?"),
         ("p", "Wolontariusze nie zastępują pracowników socjalnych, ale mogą zrobić to, na co urzędnikom "
               "często brakuje czasu: porozmawiać, wysłuchać, pójść z kimś na spacer albo pomóc dziecku "
               "w lekcjach. Osoby korzystające z pomocy społecznej podkreślają, że wolontariusz jest dla nich "
               "kimś „spoza systemu”, komu łatwiej zaufać."),
         ("h2", "Rekrutacja i przygotowanie"),
         ("p", "Dobrymi kandydatami na wolontariuszy są emeryci, studenci kierunków społecznych, uczniowie "
               "szkół średnich, a czasem także dawni podopieczni ośrodka. Przed rozpoczęciem współpracy "
               "koordynator powinien przeprowadzić rozmowę, przedstawić zasady poufności i zorganizować "
               "krótkie szkolenie z komunikacji oraz bezpieczeństwa.")],
        [("h2", "Formalności"),
         ("p", "Zgodnie z ustawą o działalności pożytku publicznego i o wolontariacie ośrodek zawiera "
               "z wolontariuszem porozumienie. Jeżeli współpraca trwa dłużej niż trzydzieści dni, "
               "porozumienie musi mieć formę pisemną. Ośrodek zapewnia wolontariuszowi bezpieczne "
               "i higieniczne warunki, a przy świadczeniach trwających krócej niż trzydzieści dni powinien "
               "ubezpieczyć go od następstw nieszczęśliwych wypadków."),
         ("h2", "Jak docenić wolontariuszy?"),
         ("p", "Podziękowanie kosztuje niewiele, a znaczy bardzo dużo. Dyplomy, listy referencyjne, wspólne "
               "spotkania z okazji Międzynarodowego Dnia Wolontariusza 5 grudnia czy możliwość udziału "
               "w szkoleniach to sprawdzone sposoby, by wolontariusze zostali z ośrodkiem na dłużej.")],
    ],
    "facts": [(1, "kimś „spoza systemu”"), (2, "porozumienie musi mieć formę pisemną")],
}

RODZINA = {
    "path": "publikacje/rodzina-w-centrum.pdf",
    "title": "Rodzina w centrum. Jak gminy wspierają rodziny przeżywające trudności",
    "author": "Tomasz Grabowski",
    "subject": "Wspieranie rodziny i przeciwdziałanie dziedziczeniu biedy w gminach",
    "keywords": "wspieranie rodziny, asystent rodziny, piecza zastępcza, dziedziczenie biedy, rodziny",
    "date": "D:20190916100000+02'00'",
    "footer": "Rodzina w centrum",
    "pages": [
        [("h1", "Rodzina w centrum"),
         ("sub", "Jak gminy wspierają rodziny przeżywające trudności"),
         ("meta", "Tomasz Grabowski · " + CENTRE + " · Warszawa 2019"),
         ("p", "Każda rodzina przechodzi czasem kryzys: utrata pracy, choroba, rozwód albo uzależnienie "
               "jednego z rodziców mogą zachwiać jej równowagą. Zadaniem gminy jest pomóc rodzinie odzyskać "
               "siły, zanim problemy doprowadzą do umieszczenia dzieci w pieczy zastępczej."),
         ("p", "Podstawą systemu jest ustawa o wspieraniu rodziny i systemie pieczy zastępczej. Przewiduje "
               "ona pracę asystenta rodziny, placówki wsparcia dziennego, rodziny wspierające oraz "
               "specjalistyczne poradnictwo. Na Mazowszu niemal każda gmina zatrudnia dziś co najmniej "
               "jednego asystenta.")],
        [("h2", "Pomoc, która nie stygmatyzuje"),
         ("p", "Rodzinom najłatwiej przyjąć pomoc, która nie zawstydza. Dlatego coraz więcej gmin "
               "organizuje otwarte zajęcia dla rodziców i dzieci, pikniki rodzinne i punkty konsultacyjne "
               "w szkołach. Świetlice środowiskowe i kluby młodzieżowe są miejscami, w których dzieci "
               "z różnych rodzin spędzają czas razem."),
         ("p", "Przeciwdziałanie dziedziczeniu biedy zaczyna się od wczesnego wsparcia. Im wcześniej "
               "rodzina otrzyma pomoc, tym mniejsze ryzyko, że dzieci powtórzą trudne doświadczenia "
               "rodziców. Świadczenie wychowawcze zmniejszyło skrajne ubóstwo rodzin z dziećmi, ale "
               "pieniądze nie zastąpią codziennej pracy z ludźmi.")],
    ],
    "facts": [(1, "pieczy zastępczej"), (2, "Pomoc, która nie stygmatyzuje")],
}

BEZ_BARIER = {
    "path": "publikacje/bez-barier-praca-i-niezalezne-zycie.pdf",
    "title": "Bez barier. Praca i niezależne życie osób niepełnosprawnych na Mazowszu",
    "author": "Anna Kowalczyk, Jan Zieliński",
    "subject": "Zatrudnienie wspomagane, asystencja osobista i dostępność dla osób niepełnosprawnych",
    "keywords": "niepełnosprawność, osoby niepełnosprawne, zatrudnienie wspomagane, dostępność, Mazowsze",
    "date": "D:20211203100000+01'00'",
    "footer": "Bez barier",
    "pages": [
        [("h1", "Bez barier"),
         ("sub", "Praca i niezależne życie osób niepełnosprawnych na Mazowszu"),
         ("meta", "Anna Kowalczyk, Jan Zieliński · " + CENTRE + " · Warszawa 2021"),
         ("p", "Na Mazowszu mieszka ponad pół miliona osób niepełnosprawnych. Tylko co trzecia z nich "
               "w wieku produkcyjnym jest aktywna zawodowo. Ta publikacja pokazuje, jak zmienić tę "
               "proporcję i dlaczego warto to zrobić – dla samych zainteresowanych, dla pracodawców i dla "
               "całej wspólnoty."),
         ("p", "Kampania „Niepełnosprawność bez barier” przypomina, że bariery mają różną naturę. Są wśród "
               "nich schody bez podjazdu, strona internetowa nieczytelna dla programu odczytu ekranu, ale "
               "też przekonanie, że osoba na wózku nie poradzi sobie w biurze.")],
        [("h2", "Zatrudnienie wspomagane"),
         ("p", "Zatrudnienie wspomagane polega na tym, że osobie niepełnosprawnej w pierwszych miesiącach "
               "pracy towarzyszy trener pracy. Pomaga on poznać obowiązki, dojeżdżać do firmy i zbudować "
               "relacje ze współpracownikami. Stopniowo się wycofuje, aż pracownik staje się w pełni "
               "samodzielny."),
         ("p", "Pandemia w latach 2020–2021 pokazała, że praca zdalna może otworzyć rynek pracy dla wielu "
               "osób z niepełnosprawnością ruchową. Jednocześnie odcięła od wsparcia tych, którzy "
               "potrzebują bezpośredniego kontaktu z innymi ludźmi.")],
        [("h2", "Niezależne życie"),
         ("p", "Asystencja osobista pozwala osobom niepełnosprawnym decydować o swoim życiu: o tym, kiedy "
               "wstają, z kim się spotykają i gdzie pracują. Mieszkania treningowe i wspomagane są "
               "alternatywą dla dużych domów pomocy społecznej."),
         ("p", "Ustawa o zapewnianiu dostępności osobom ze szczególnymi potrzebami z 2019 roku nałożyła "
               "na instytucje publiczne obowiązek usuwania barier architektonicznych, cyfrowych "
               "i informacyjno-komunikacyjnych. To dobry początek, ale prawdziwa dostępność zaczyna się "
               "od rozmowy z tymi, których dotyczy.")],
    ],
    "facts": [(1, "pół miliona osób niepełnosprawnych"), (2, "trener pracy"),
              (3, "Asystencja osobista")],
}

BIULETYN_SERIES = "Biuletyn Regionalnego Centrum Polityki Społecznej"

BIULETYN_2012 = {
    "path": "biuletyn/biuletyn-rcps-1-2012.pdf",
    "title": "Biuletyn nr 1/2012 – Wolontariat i wspieranie rodziny",
    "author": CENTRE,
    "subject": BIULETYN_SERIES + ", nr 1/2012",
    "keywords": "biuletyn, wolontariat, wspieranie rodziny, asystent rodziny, Razem dla Mazowsza",
    "date": "D:20120330120000+02'00'",
    "footer": BIULETYN_SERIES + " · nr 1/2012",
    "pages": [
        [("h1", "Biuletyn nr 1/2012"),
         ("sub", "Wolontariat i wspieranie rodziny"),
         ("h2", "Od redakcji"),
         ("p", "Oddajemy w Państwa ręce pierwszy tegoroczny numer biuletynu. Rok 2012 rozpoczął się od "
               "ważnej zmiany: 1 stycznia weszła w życie ustawa o wspieraniu rodziny i systemie pieczy "
               "zastępczej. Gminy zatrudniają pierwszych asystentów rodziny, a my pytamy, czego potrzebują, "
               "by ich praca przyniosła efekty."),
         ("p", "W numerze podsumowujemy także Europejski Rok Wolontariatu 2011. Dziękujemy wszystkim "
               "wolontariuszom, którzy w ubiegłym roku wspierali ośrodki pomocy społecznej na Mazowszu.")],
        [("h2", "Aktualności"),
         ("p", "W ramach projektu „Razem dla Mazowsza” przeszkoliliśmy w styczniu i lutym 120 "
               "koordynatorów wolontariatu z ośrodków pomocy społecznej. Szkolenia dotyczyły rekrutacji, "
               "motywowania i zasad bezpieczeństwa."),
         ("p", "Rok 2012 jest Europejskim Rokiem Aktywności Osób Starszych i Solidarności "
               "Międzypokoleniowej. Zachęcamy ośrodki do tworzenia grup wolontariuszy seniorów, którzy mogą "
               "wspierać rodziny z małymi dziećmi."),
         ("h2", "Wywiad"),
         ("p", "– Asystent nie przychodzi do rodziny z gotową receptą – mówi Beata Kamińska, jedna "
               "z pierwszych asystentek rodziny w powiecie wołomińskim. – Najpierw słucham, potem razem "
               "ustalamy, co rodzina chce zmienić.")],
        [("h2", "Kalendarium"),
         ("p", "12 kwietnia 2012 – konferencja „Rodzina w centrum uwagi”, Warszawa."),
         ("p", "15 maja 2012 – Międzynarodowy Dzień Rodzin, pikniki rodzinne w gminach partnerskich."),
         ("p", "5 grudnia 2012 – Międzynarodowy Dzień Wolontariusza, gala wręczenia nagród "
               "„Wolontariusz Roku”."),
         ("p", "Redakcja: " + CENTRE + ". Biuletyn jest bezpłatny.")],
    ],
    "facts": [(1, "Europejski Rok Wolontariatu 2011"), (2, "powiecie wołomińskim"),
              (3, "Międzynarodowy Dzień Rodzin")],
}

BIULETYN_2014 = {
    "path": "biuletyn/biuletyn-rcps-3-2014.pdf",
    "title": "Biuletyn nr 3/2014 – Ekonomia społeczna i przeciwdziałanie dziedziczeniu biedy",
    "author": CENTRE,
    "subject": BIULETYN_SERIES + ", nr 3/2014",
    "keywords": "biuletyn, ekonomia społeczna, dziedziczenie biedy, Liderzy Kooperacji",
    "date": "D:20140930120000+02'00'",
    "footer": BIULETYN_SERIES + " · nr 3/2014",
    "pages": [
        [("h1", "Biuletyn nr 3/2014"),
         ("sub", "Ekonomia społeczna i przeciwdziałanie dziedziczeniu biedy"),
         ("h2", "Od redakcji"),
         ("p", "W sierpniu Rada Ministrów przyjęła Krajowy Program Rozwoju Ekonomii Społecznej. Dokument "
               "zakłada, że do 2020 roku podmioty ekonomii społecznej staną się ważnym partnerem samorządów "
               "w świadczeniu usług społecznych."),
         ("p", "W tym numerze piszemy o tym, jak ekonomia społeczna może pomóc rodzinom, w których bieda "
               "przechodzi z pokolenia na pokolenie.")],
        [("h2", "Ruszył projekt „Liderzy Kooperacji”"),
         ("p", "We wrześniu rozpoczęliśmy projekt „Liderzy Kooperacji”, który ma wzmocnić współpracę "
               "ośrodków pomocy społecznej, powiatowych urzędów pracy i podmiotów ekonomii społecznej. "
               "W pierwszej edycji uczestniczy dwadzieścia gmin z Mazowsza."),
         ("p", "Pilotażowe partnerstwa powstały między innymi w Ciechanowie, Żyrardowie i Garwolinie. "
               "Ich zadaniem jest wspólne planowanie ścieżek wsparcia dla osób długotrwale bezrobotnych.")],
        [("h2", "Dziedziczenie biedy – dane z badań"),
         ("p", "Z badań przeprowadzonych w 2014 roku w dwunastu gminach wynika, że co czwarte dziecko "
               "z rodzin korzystających z pomocy społecznej ma rodziców, którzy również w dzieciństwie "
               "otrzymywali taką pomoc. Najskuteczniejszym sposobem przerwania tego kręgu okazuje się "
               "zatrudnienie rodziców połączone ze wsparciem edukacyjnym dzieci."),
         ("h2", "Kalendarium"),
         ("p", "16 października 2014 – Forum Ekonomii Społecznej, Płock."),
         ("p", "17 października 2014 – Międzynarodowy Dzień Walki z Ubóstwem.")],
    ],
    "facts": [(1, "Krajowy Program Rozwoju Ekonomii Społecznej"), (2, "Żyrardowie"),
              (3, "co czwarte dziecko")],
}

DOCUMENTS = [RAPORT, LODZ, PORADNIK, RODZINA, BEZ_BARIER, BIULETYN_2012, BIULETYN_2014]


def build(doc, out_dir):
    path = os.path.join(out_dir, doc["path"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    total = len(doc["pages"])

    def on_page(canvas, template):
        canvas.setDateFormatter(lambda *_: doc["date"])
        canvas.setFont("Sans", 8)
        canvas.drawString(20 * mm, 12 * mm, doc["footer"])
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, "strona %d z %d" % (canvas.getPageNumber(), total))

    story = []
    for number, page in enumerate(doc["pages"], 1):
        if number > 1:
            story.append(PageBreak())
        for style, text in page:
            story.append(Paragraph(escape(text), STYLES[style]))
        story.append(Spacer(1, 1))
    template = SimpleDocTemplate(
        path, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
        bottomMargin=25 * mm, title=doc["title"], author=doc["author"], subject=doc["subject"],
        keywords=doc["keywords"], creator="Mediateka scripts/make-samples.sh", invariant=1,
        lang="pl-PL")
    template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def page_texts(path):
    info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    texts = []
    for n in range(1, pages + 1):
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), path, "-"],
                             check=True, capture_output=True, text=True).stdout
        texts.append(" ".join(raw.split()))
    return info, texts


def occurs(phrase, text):
    if phrase.endswith("*"):
        return re.search(r"(?<!\w)" + re.escape(phrase[:-1].lower()), text.lower()) is not None
    return re.search(r"(?<!\w)" + re.escape(" ".join(phrase.split()).lower()) + r"(?!\w)",
                     text.lower()) is not None


def check(doc, path):
    info, texts = page_texts(path)
    problems = []
    if len(texts) != len(doc["pages"]):
        problems.append("%d pages, expected %d" % (len(texts), len(doc["pages"])))
    title_line = re.search(r"^Title:\s+(.*)$", info, re.M)
    if not title_line or title_line.group(1).strip() != doc["title"]:
        problems.append("pdfinfo title %r" % (title_line and title_line.group(1)))
    for page, phrase in doc["facts"]:
        where = [n for n, text in enumerate(texts, 1) if occurs(phrase, text)]
        if where != [page]:
            problems.append("%r expected only on page %d, found on %s" % (phrase, page, where))
    for form in doc.get("forms", []):
        if not any(occurs(form, text) for text in texts):
            problems.append("form %r occurs on no page" % form)
    if len(set(texts)) != len(texts):
        problems.append("two pages have the same text")
    if problems:
        sys.exit("make_sample_pdfs: %s: %s" % (doc["path"], "; ".join(problems)))
    return texts


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_sample_pdfs.py SAMPLES_DIR FACTS.json")
    out_dir, facts_path = sys.argv[1], sys.argv[2]
    facts = {}
    for doc in DOCUMENTS:
        path = build(doc, out_dir)
        texts = check(doc, path)
        pages = len(texts)
        facts[doc["path"]] = {
            "title": doc["title"], "author": doc["author"], "pages": pages,
            "metadata": [doc["title"], doc["author"], doc["subject"], doc["keywords"]],
            "facts": [{"page": p, "phrase": f} for p, f in doc["facts"]],
            "forms": [{"form": f, "pages": [n for n, t in enumerate(texts, 1) if occurs(f, t)]}
                      for f in doc.get("forms", [])],
            "texts": texts}
        print("make_sample_pdfs: %s (%d pages)" % (doc["path"], pages))
    with open(facts_path, "w", encoding="utf-8") as f:
        json.dump(facts, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
