/**
 * Codes allowed in the issuing-state and nationality fields: every ISO 3166-1
 * alpha-3 code, plus the codes ICAO Doc 9303 Part 3 adds (Germany's `D`, British
 * nationality classes, United Nations, other organisations, stateless persons and
 * refugees) and `UTO`, the fictional state of ICAO's specimens. A code missing
 * here (e.g. `RKS`, used on Kosovo documents) is still accepted by the parser,
 * with a warning: the traveller's document is never rejected over a code list.
 */

export type StateCodeKind = 'country' | 'icao-extension' | 'specimen';

export interface StateCode {
  code: string;
  name: string;
  kind: StateCodeKind;
}

const ISO_3166_ALPHA_3 = `
ABW Aruba
AFG Afghanistan
AGO Angola
AIA Anguilla
ALA Åland Islands
ALB Albania
AND Andorra
ARE United Arab Emirates
ARG Argentina
ARM Armenia
ASM American Samoa
ATA Antarctica
ATF French Southern Territories
ATG Antigua and Barbuda
AUS Australia
AUT Austria
AZE Azerbaijan
BDI Burundi
BEL Belgium
BEN Benin
BES Bonaire, Sint Eustatius and Saba
BFA Burkina Faso
BGD Bangladesh
BGR Bulgaria
BHR Bahrain
BHS Bahamas
BIH Bosnia and Herzegovina
BLM Saint Barthélemy
BLR Belarus
BLZ Belize
BMU Bermuda
BOL Bolivia
BRA Brazil
BRB Barbados
BRN Brunei Darussalam
BTN Bhutan
BVT Bouvet Island
BWA Botswana
CAF Central African Republic
CAN Canada
CCK Cocos (Keeling) Islands
CHE Switzerland
CHL Chile
CHN China
CIV Côte d'Ivoire
CMR Cameroon
COD Congo, Democratic Republic of the
COG Congo
COK Cook Islands
COL Colombia
COM Comoros
CPV Cabo Verde
CRI Costa Rica
CUB Cuba
CUW Curaçao
CXR Christmas Island
CYM Cayman Islands
CYP Cyprus
CZE Czechia
DEU Germany
DJI Djibouti
DMA Dominica
DNK Denmark
DOM Dominican Republic
DZA Algeria
ECU Ecuador
EGY Egypt
ERI Eritrea
ESH Western Sahara
ESP Spain
EST Estonia
ETH Ethiopia
FIN Finland
FJI Fiji
FLK Falkland Islands (Malvinas)
FRA France
FRO Faroe Islands
FSM Micronesia
GAB Gabon
GBR United Kingdom
GEO Georgia
GGY Guernsey
GHA Ghana
GIB Gibraltar
GIN Guinea
GLP Guadeloupe
GMB Gambia
GNB Guinea-Bissau
GNQ Equatorial Guinea
GRC Greece
GRD Grenada
GRL Greenland
GTM Guatemala
GUF French Guiana
GUM Guam
GUY Guyana
HKG Hong Kong
HMD Heard Island and McDonald Islands
HND Honduras
HRV Croatia
HTI Haiti
HUN Hungary
IDN Indonesia
IMN Isle of Man
IND India
IOT British Indian Ocean Territory
IRL Ireland
IRN Iran
IRQ Iraq
ISL Iceland
ISR Israel
ITA Italy
JAM Jamaica
JEY Jersey
JOR Jordan
JPN Japan
KAZ Kazakhstan
KEN Kenya
KGZ Kyrgyzstan
KHM Cambodia
KIR Kiribati
KNA Saint Kitts and Nevis
KOR Korea, Republic of
KWT Kuwait
LAO Lao People's Democratic Republic
LBN Lebanon
LBR Liberia
LBY Libya
LCA Saint Lucia
LIE Liechtenstein
LKA Sri Lanka
LSO Lesotho
LTU Lithuania
LUX Luxembourg
LVA Latvia
MAC Macao
MAF Saint Martin (French part)
MAR Morocco
MCO Monaco
MDA Moldova
MDG Madagascar
MDV Maldives
MEX Mexico
MHL Marshall Islands
MKD North Macedonia
MLI Mali
MLT Malta
MMR Myanmar
MNE Montenegro
MNG Mongolia
MNP Northern Mariana Islands
MOZ Mozambique
MRT Mauritania
MSR Montserrat
MTQ Martinique
MUS Mauritius
MWI Malawi
MYS Malaysia
MYT Mayotte
NAM Namibia
NCL New Caledonia
NER Niger
NFK Norfolk Island
NGA Nigeria
NIC Nicaragua
NIU Niue
NLD Netherlands
NOR Norway
NPL Nepal
NRU Nauru
NZL New Zealand
OMN Oman
PAK Pakistan
PAN Panama
PCN Pitcairn
PER Peru
PHL Philippines
PLW Palau
PNG Papua New Guinea
POL Poland
PRI Puerto Rico
PRK Korea, Democratic People's Republic of
PRT Portugal
PRY Paraguay
PSE Palestine, State of
PYF French Polynesia
QAT Qatar
REU Réunion
ROU Romania
RUS Russian Federation
RWA Rwanda
SAU Saudi Arabia
SDN Sudan
SEN Senegal
SGP Singapore
SGS South Georgia and the South Sandwich Islands
SHN Saint Helena, Ascension and Tristan da Cunha
SJM Svalbard and Jan Mayen
SLB Solomon Islands
SLE Sierra Leone
SLV El Salvador
SMR San Marino
SOM Somalia
SPM Saint Pierre and Miquelon
SRB Serbia
SSD South Sudan
STP Sao Tome and Principe
SUR Suriname
SVK Slovakia
SVN Slovenia
SWE Sweden
SWZ Eswatini
SXM Sint Maarten (Dutch part)
SYC Seychelles
SYR Syrian Arab Republic
TCA Turks and Caicos Islands
TCD Chad
TGO Togo
THA Thailand
TJK Tajikistan
TKL Tokelau
TKM Turkmenistan
TLS Timor-Leste
TON Tonga
TTO Trinidad and Tobago
TUN Tunisia
TUR Türkiye
TUV Tuvalu
TWN Taiwan
TZA Tanzania
UGA Uganda
UKR Ukraine
UMI United States Minor Outlying Islands
URY Uruguay
USA United States of America
UZB Uzbekistan
VAT Holy See
VCT Saint Vincent and the Grenadines
VEN Venezuela
VGB Virgin Islands (British)
VIR Virgin Islands (U.S.)
VNM Viet Nam
VUT Vanuatu
WLF Wallis and Futuna
WSM Samoa
YEM Yemen
ZAF South Africa
ZMB Zambia
ZWE Zimbabwe
`;

/** ICAO Doc 9303 Part 3 codes that are not ISO 3166-1 entities. */
const ICAO_EXTENSIONS = `
D Germany
GBD British Overseas Territories Citizen
GBN British National (Overseas)
GBO British Overseas Citizen
GBP British Protected Person
GBS British Subject
UNO United Nations Organization or one of its officials
UNA United Nations specialized agency or one of its officials
UNK Resident of Kosovo with a travel document issued by UNMIK
EUE European Union
XBA African Development Bank
XIM African Export-Import Bank
XCC Caribbean Community or one of its emissaries
XCE Council of Europe
XCO Common Market for Eastern and Southern Africa
XDC Southern African Development Community
XEC Economic Community of West African States
XES Organisation of Eastern Caribbean States
XMP Parliamentary Assembly of the Mediterranean
XOM Sovereign Military Order of Malta or one of its emissaries
XPO International Criminal Police Organization (INTERPOL)
XXA Stateless person
XXB Refugee under the 1951 Convention
XXC Refugee other than under the 1951 Convention
XXX Person of unspecified nationality
`;

const SPECIMENS = `
UTO Utopia (ICAO specimen state)
`;

function readTable(table: string, kind: StateCodeKind, into: Map<string, StateCode>): void {
  for (const row of table.split('\n')) {
    if (row === '') continue;
    const space = row.indexOf(' ');
    const code = row.slice(0, space);
    into.set(code, { code, name: row.slice(space + 1), kind });
  }
}

const STATE_CODES: ReadonlyMap<string, StateCode> = (() => {
  const codes = new Map<string, StateCode>();
  readTable(ISO_3166_ALPHA_3, 'country', codes);
  readTable(ICAO_EXTENSIONS, 'icao-extension', codes);
  readTable(SPECIMENS, 'specimen', codes);
  return codes;
})();

/**
 * The state or organisation a code stands for, or undefined when ICAO does not
 * list it. Accepts the field as printed (`D<<`) as well as the bare code.
 */
export function lookupStateCode(code: string): StateCode | undefined {
  const filler = code.indexOf('<');
  return STATE_CODES.get(filler === -1 ? code : code.slice(0, filler));
}

/** Every listed code, for pickers and for generating synthetic documents. */
export function listStateCodes(): StateCode[] {
  return [...STATE_CODES.values()];
}
