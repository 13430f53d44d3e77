/** Every message namespace. One file per screen family, so features don't collide. */
import common from './messages/common';
import validation from './validation';
import list from './messages/list';
import intake from './messages/intake';
import valuables from './messages/valuables';
import cabin from './messages/cabin';
import walkaround from './messages/walkaround';
import work from './messages/work';
import review from './messages/review';
import signature from './messages/signature';
import print from './messages/print';
import sync from './messages/sync';
import auth from './messages/auth';
import technician from './messages/technician';
import handover from './messages/handover';
import errors from './messages/errors';
import appointments from './messages/appointments';
import history from './messages/history';

export const messages = { common, validation, list, intake, valuables, cabin, walkaround, work, review, signature, print, sync, auth, technician, handover, errors, appointments, history };
