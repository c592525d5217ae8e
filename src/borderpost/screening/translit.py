"""Arabic-to-Latin transliteration and the lexicon of known names.

Two scripts meet here. An Arabic-script token is first looked up in the lexicon (it then takes the
name's canonical Latin spelling, so "حسين" and "Hussein" become the same name). A token the lexicon
does not know is transliterated letter by letter with one fixed scheme, close to what Iraqi and
Syrian civil registries print; short vowels are not written in Arabic, so such a token can only be
compared by its consonant skeleton (see normalise.coarse_key).

The lexicon is domain knowledge, not code: canonical name, its Arabic spelling(s) (already in the
normal form of normalise.fold_arabic), and common Latin spellings. Spellings not listed are still
resolved when their fine key (normalise.fine_key) equals a listed one's.
"""

from __future__ import annotations

# Arabic letters after normalisation (hamza forms, taa marbuta, alef maqsura already folded).
# Long vowels: alef -> a; waw/yaa are consonants at the start of a word, vowels elsewhere.
_LETTERS: dict[str, str] = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "dh", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ء": "", "پ": "p", "چ": "ch", "گ": "g", "ڤ": "v",
}  # fmt: skip


def arabic_to_latin(token: str) -> str:
    """Letter-by-letter transliteration of one normalised Arabic-script token."""
    out: list[str] = []
    last = len(token) - 1
    for i, ch in enumerate(token):
        if ch == "و":
            out.append("w" if i == 0 else "u")
        elif ch == "ي":
            out.append("y" if i == 0 else "i")
        elif ch == "ع" and i == 0:
            out.append("a")  # a word-initial ayn is heard as a vowel: Omar, Ali, Uthman
        elif ch == "ه" and i == last and i > 0:
            out.append("a")  # final haa / taa marbuta: Fatima(h), Hamza(h)
        else:
            out.append(_LETTERS.get(ch, ""))
    return "".join(out)


# canonical | Arabic spelling(s), comma-separated | Latin spellings (space-separated)
_LEXICON_TEXT = """
muhammad|محمد|mohammed mohammad muhammed mohamed mohamad muhamad mouhamad mohd mehmet
ahmad|احمد|ahmed ahmet achmed
mahmud|محمود|mahmoud mahmood mahmut
ali|علي|aly alee
hasan|حسن|hassan hasen hassen
husayn|حسين|hussein hussain husain hossein husein hosein hussien
hasanayn|حسنين|hasnain hassanein
umar|عمر|omar omer umer
uthman|عثمان|othman osman usman uthmaan
khalid|خالد|khaled khalid kaled
khalil|خليل|khaleel khalil
salih|صالح|saleh salih saalih
salah|صلاح|salah slah
salim|سالم|salem saalim
salman|سلمان|salmaan
said|سعيد|saeed saaid
saad|سعد|saad saed sad
saud|سعود|saoud saud
sayyid|سيد|sayed sayyed seyed
ibrahim|ابراهيم|ibraheem ebrahim ibrahem
ismail|اسماعيل|ismael esmail ismaeel
yusuf|يوسف|yousef youssef yousif yusef yosef yousuf
yunus|يونس|younis younes yunis younus
abbas|عباس|abas
jafar|جعفر|jaafar jafer jaffar
hamid|حامد|hamed haamid
hamad|حمد|hamad hammad
hamdi|حمدي|hamdy
hamza|حمزه|hamzah hamze
haydar|حيدر|haider hayder haidar
kazim|كاظم|kadhim kazem kathem kadim kazim kadhem
karim|كريم|kareem kerim
jasim|جاسم|jassim jasem jassem
qasim|قاسم|qassim kasim qasem kassem gasim
hashim|هاشم|hashem
hisham|هشام|hesham
faysal|فيصل|faisal feisal faysal
falah|فلاح|falah fallah
fadil|فاضل|fadhil fadel fadhel fazil
adil|عادل|adel aadil
adnan|عدنان|adnan
amir|امير|ameer emir
amir2|عامر|amer aamer
ammar|عمار|ammar
anwar|انور|anwer
iyad|اياد|ayad eyad iyad
basim|باسم|basem bassim bassem
bashir|بشير|basheer bechir
bakr|بكر|baker bakir bakar
dawud|داود|dawood daoud dawoud daud
diya|ضياء|dhiya diaa dia dhia
imad|عماد|emad imad
faris|فارس|fares
fuad|فواد|fouad fuad
ghazi|غازي|gazi ghazy
habib|حبيب|habeeb
hadi|هادي|hady
haytham|هيثم|haitham haytham
harith|حارث|hareth harith
hazim|حازم|hazem
jabbar|جبار|jabar jabbar
jalal|جلال|jalal
jamal|جمال|gamal jamal
kamal|كمال|kamal
jawad|جواد|jawad jawwad
karrar|كرار|karar
khudayr|خضير|khudair khdayer khudhair
layth|ليث|laith layth leith
mahdi|مهدي|mehdi mahdy
majid|ماجد,مجيد|majed maged majeed
malik|مالك|malek
mansur|منصور|mansour mansoor
marwan|مروان|marouane
mazin|مازن|mazen
muayyad|مويد|moayad muayad moayyad
muhsin|محسن|mohsen muhsen mohsin
munir|منير|mounir muneer
murtada|مرتضي|murtadha mortada murtaza
mustafa|مصطفي|mustapha moustafa mostafa mustafa
muthanna|مثني|muthana mothana
nazim|ناظم|nadhim nazem nadhem
naji|ناجي|nagi
nasir|ناصر|nasser naser nasir
nasr|نصر|nasr nassr
nizar|نزار|nezar
nuri|نوري|noori nouri
nur|نور|noor nour
qays|قيس|qais kais qays
rashid|راشد|rashed rachid
raad|رعد|raad raed
riyad|رياض|riyadh riad riyad
saddam|صدام|sadam
sabah|صباح|sabah
sadiq|صادق|sadeq sadik
sayf|سيف|saif seif
sami|سامي|samy
shakir|شاكر|shaker chaker
sharif|شريف|shareef cherif
sulayman|سليمان|sulaiman suleiman soliman sleiman
talib|طالب|taleb
tariq|طارق|tareq tarek tarik
thamir|ثامر|thamer tamer thamir
walid|وليد|waleed walid oualid
wisam|وسام|wissam wesam
yasin|ياسين|yaseen yassin yacine
yasir|ياسر|yasser yaser
zayd|زيد|zaid zeid
ziyad|زياد|ziad ziyad zyad
zuhayr|زهير|zuhair zouhair
fatima|فاطمه|fatimah fatma fatemeh
zaynab|زينب|zainab zeinab
maryam|مريم|mariam maryem
aisha|عايشه|aysha aicha aishah
khadija|خديجه|khadijah khadeeja
huda|هدي|houda hoda
layla|ليلي|leila laila
sara|ساره|sarah
amal|امل|amal
rahman|رحمن|rahman rehman rahmaan
rahim|رحيم|raheem rahim
aziz|عزيز|azeez aziz
qadir|قادر|kader kadir qader gader
wahhab|وهاب|wahab wahhab
razzaq|رزاق|razak razzaq razaq
latif|لطيف|lateef latif
salam|سلام|salam sallam
sattar|ستار|satar sattar
ghani|غني|ghany gani
ilah|اله|ilah illah
alaa|علاء|ala aala
jubouri|جبوري|jubouri jiburi jabouri juburi jboori jubori jbouri
dulaymi|دليمي|dulaimi dulaimy dleimi dulaymi duleimi
tikriti|تكريتي|tikriti takriti tekriti
ubaydi|عبيدي|obaidi ubaidi obeidi ubaydi
shammari|شمري|shamari shammary
zubaydi|زبيدي|zubaidi zebidi zubeidi
janabi|جنابي|jenabi janaby
azzawi|عزاوي|azawi ezzawi
tamimi|تميمي|tamimi temimi
khafaji|خفاجي|khafagi
rubayi|ربيعي|rubaie rubaiee rubaei robaie
hashimi|هاشمي|hashemi hachemi
musawi|موسوي|mousawi moussawi mosawi musawi
anbari|انباري|anbary
baghdadi|بغدادي|bagdadi
mawsili|موصلي|mosuli mousli mawsili
ani|عاني|aani ani
rawi|راوي|rawi
hadithi|حديثي|haditi
qaysi|قيسي|qaisi kaisi qaysi
kubaysi|كبيسي|kubaisi kobaisi
karbuli|كربولي|karbouli
mashhadani|مشهداني|mashadani
saadi|سعدي|saady
samarrai|سامرايي|samarai samarrai samerrai
fahdawi|فهداوي|fahadawi
isawi|عيساوي|issawi esawi
bayati|بياتي|biati
jumayli|جميلي|jumaili jamili
halbusi|حلبوسي|halbousi
nuaymi|نعيمي|nuaimi noaimi
shaykhli|شيخلي|shaikhli sheikhly
harbi|حربي|harbi
hamdani|حمداني|hamdany
kurdi|كردي|kurdy
halabi|حلبي|halaby
homsi|حمصي|humsi
dayri|ديري|deiri deiry
aqidi|عكيدي|ogaidi agidi akidi
"""

# Names whose skeletons are close but which are different names. They must never be taken for
# spelling variants of each other; tests assert every pair stays apart.
DISTINCT_NAMES: frozenset[frozenset[str]] = frozenset(
    frozenset(p)
    for p in [
        ("hasan", "husayn"), ("hasan", "hasanayn"), ("husayn", "hasanayn"),
        ("khalid", "khalil"), ("salih", "salim"), ("salih", "salah"), ("salim", "salman"),
        ("muhammad", "mahmud"), ("muhammad", "ahmad"), ("ahmad", "hamad"), ("ahmad", "hamid"),
        ("hamid", "hamad"), ("hamid", "hamdi"), ("hamad", "hamdi"),
        ("saad", "saud"), ("saad", "said"), ("said", "saud"), ("said", "sayyid"),
        ("jamal", "kamal"), ("karim", "kazim"), ("amir", "amir2"), ("amir2", "ammar"),
        ("umar", "amir2"), ("nasir", "nasr"), ("jasim", "qasim"), ("hashim", "hisham"),
        ("hazim", "hashim"), ("yasin", "yasir"), ("zayd", "ziyad"), ("majid", "hamid"),
        ("nur", "nuri"), ("sami", "salim"), ("ali", "adil"), ("faris", "faysal"),
        ("nazim", "kazim"), ("nazim", "nasir"), ("fadil", "adil"),
    ]
)  # fmt: skip

# Given names so frequent in the region that agreeing on them says little about identity.
COMMON_NAMES: frozenset[str] = frozenset(
    {"muhammad", "ahmad", "ali", "hasan", "husayn", "mahmud", "abd+allah", "umar", "ibrahim",
     "khalid", "mustafa", "yusuf", "abbas", "salih", "jasim", "kazim", "abd+rahman", "fatima",
     "zaynab", "said", "sami", "hamid"}
)  # fmt: skip


FAMILY_NAMES: frozenset[str] = frozenset(
    line.split("|")[0] for line in _LEXICON_TEXT[_LEXICON_TEXT.index("jubouri|") :].splitlines()
)  # every row from jubouri on is a family name or nisba


def lexicon_rows() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(canonical, arabic spellings, latin spellings) for every lexicon row."""
    rows = []
    for line in _LEXICON_TEXT.strip().splitlines():
        canon, arabic, latin = line.split("|")
        # a numbered canonical name (amir2) is a second name with the same Latin spelling
        spellings = (*([] if canon[-1].isdigit() else [canon]), *latin.split())
        rows.append((canon, tuple(arabic.split(",")), spellings))
    return rows
